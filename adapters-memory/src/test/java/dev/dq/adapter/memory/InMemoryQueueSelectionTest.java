package dev.dq.adapter.memory;

import dev.dq.core.port.Broker;
import dev.dq.testing.QueueSelectionContract;
import java.time.InstantSource;

/** Weighted and strict queue selection of a worker pool on the in-memory broker. */
final class InMemoryQueueSelectionTest extends QueueSelectionContract {
  @Override
  protected Broker createBroker(InstantSource clock) {
    return InMemoryBroker.builder().clock(clock).capacity(100_000).build();
  }
}
