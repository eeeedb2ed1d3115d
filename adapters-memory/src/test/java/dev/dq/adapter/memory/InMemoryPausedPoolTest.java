package dev.dq.adapter.memory;

import dev.dq.core.port.Broker;
import dev.dq.core.port.QueuePauses;
import dev.dq.testing.PausedPoolContract;

/** A pool on the in-memory broker obeys pauses; here the pool's own broker pauses the queue. */
final class InMemoryPausedPoolTest extends PausedPoolContract {
  @Override
  protected Broker createBroker() {
    return InMemoryBroker.builder().build();
  }

  @Override
  protected QueuePauses operator() {
    return (QueuePauses) broker;
  }
}
