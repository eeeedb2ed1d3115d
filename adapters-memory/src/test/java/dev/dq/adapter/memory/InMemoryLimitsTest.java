package dev.dq.adapter.memory;

import dev.dq.core.port.Broker;
import dev.dq.testing.LimitsContract;
import java.time.InstantSource;

/** The in-memory broker passes the shared {@link LimitsContract}. */
final class InMemoryLimitsTest extends LimitsContract {
  @Override
  protected Broker createBroker(InstantSource clock) {
    return InMemoryBroker.builder().clock(clock).build();
  }
}
