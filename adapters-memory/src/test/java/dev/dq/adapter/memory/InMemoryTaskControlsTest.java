package dev.dq.adapter.memory;

import dev.dq.core.port.Broker;
import dev.dq.core.task.TaskId;
import dev.dq.testing.TaskControlsContract;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;

final class InMemoryTaskControlsTest extends TaskControlsContract {
  private InMemoryBroker memory;

  @Override
  protected Broker createBroker(InstantSource clock) {
    memory = InMemoryBroker.builder().clock(clock).build();
    return memory;
  }

  @Override
  protected dev.dq.core.port.DeadLetterQueue deadLetterQueue() {
    return memory.deadLetterQueue();
  }

  @Override
  protected void mislay(TaskId id) {
    memory.mislay(QUEUE, id);
  }

  @AfterEach
  void noLeakedLeases() {
    memory.assertNoLeakedLeases();
  }
}
