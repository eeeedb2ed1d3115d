package dev.dq.adapter.memory;

import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.testing.TaskCancelsContract;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;

final class InMemoryTaskCancelsTest extends TaskCancelsContract {
  private InMemoryBroker memory;

  @Override
  protected Broker createBroker(InstantSource clock) {
    InMemoryBroker created = InMemoryBroker.builder().clock(clock).build();
    if (memory == null) {
      memory = created; // the fake-clock broker; the pool test's own one settles by its pool
    }
    return created;
  }

  @Override
  protected DeadLetterQueue deadLetterQueue() {
    return memory.deadLetterQueue();
  }

  @AfterEach
  void noLeakedLeases() {
    memory.assertNoLeakedLeases();
  }
}
