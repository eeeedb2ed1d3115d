package dev.dq.adapter.memory;

import dev.dq.testing.BrokerAndDeadLetters;
import dev.dq.testing.UniqueTasksContract;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;

final class InMemoryUniqueTasksTest extends UniqueTasksContract {
  private InMemoryBroker memory;

  @Override
  protected BrokerAndDeadLetters create(InstantSource clock, int capacityPerQueue) {
    memory = InMemoryBroker.builder().clock(clock).capacity(capacityPerQueue).build();
    return new BrokerAndDeadLetters(memory, memory.deadLetterQueue());
  }

  @AfterEach
  void noLeakedLeases() {
    memory.assertNoLeakedLeases();
  }
}
