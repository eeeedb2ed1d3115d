package dev.dq.adapter.memory;

import dev.dq.core.port.Broker;
import dev.dq.testing.ThroughputContract;
import java.time.InstantSource;

final class InMemoryThroughputTest extends ThroughputContract {
  @Override
  protected Broker createBroker(InstantSource clock) {
    return InMemoryBroker.builder().clock(clock).build();
  }
}
