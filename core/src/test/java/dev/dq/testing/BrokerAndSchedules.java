package dev.dq.testing;

import dev.dq.core.port.Broker;
import dev.dq.core.schedule.Schedules;
import java.util.Objects;

/**
 * A broker and the {@link Schedules} whose fires enqueue into it, as {@link SchedulesContract}
 * needs them.
 *
 * @param broker the broker
 * @param schedules its schedules
 */
public record BrokerAndSchedules(Broker broker, Schedules schedules) {
  /**
   * Checks the values.
   *
   * @param broker the broker
   * @param schedules its schedules
   */
  public BrokerAndSchedules {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(schedules, "schedules");
  }
}
