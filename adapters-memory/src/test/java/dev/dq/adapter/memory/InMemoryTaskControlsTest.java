package dev.dq.adapter.memory;

import dev.dq.core.port.Broker;
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

  @AfterEach
  void noLeakedLeases() {
    memory.assertNoLeakedLeases();
  }
}
