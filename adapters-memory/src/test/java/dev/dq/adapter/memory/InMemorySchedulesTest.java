package dev.dq.adapter.memory;

import dev.dq.testing.BrokerAndSchedules;
import dev.dq.testing.SchedulesContract;
import java.time.InstantSource;

/** {@link InMemorySchedules} passes the shared contract. */
final class InMemorySchedulesTest extends SchedulesContract {
  @Override
  protected BrokerAndSchedules create(InstantSource clock, int capacityPerQueue) {
    InMemoryBroker broker =
        InMemoryBroker.builder().clock(clock).capacity(capacityPerQueue).build();
    return new BrokerAndSchedules(broker, broker.schedules());
  }
}
