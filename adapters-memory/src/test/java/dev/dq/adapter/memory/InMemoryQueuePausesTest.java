package dev.dq.adapter.memory;

import dev.dq.core.port.Broker;
import dev.dq.testing.QueuePausesContract;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;

final class InMemoryQueuePausesTest extends QueuePausesContract {
  private InMemoryBroker memory;

  @Override
  protected Broker createBroker(InstantSource clock) {
    memory = InMemoryBroker.builder().clock(clock).build();
    return memory;
  }

  @AfterEach
  void noLeakedLeases() {
    memory.assertNoLeakedLeases();
  }
}
