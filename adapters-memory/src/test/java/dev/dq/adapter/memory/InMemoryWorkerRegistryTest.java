package dev.dq.adapter.memory;

import dev.dq.core.port.Broker;
import dev.dq.testing.WorkerRegistryContract;
import java.time.InstantSource;

final class InMemoryWorkerRegistryTest extends WorkerRegistryContract {
  @Override
  protected Broker createBroker(InstantSource clock) {
    return InMemoryBroker.builder().clock(clock).build();
  }
}
