package dev.dq.core.schedule;

/**
 * A broker that keeps periodic schedules, as an optional capability: tools (the CLI, {@code dq
 * run}'s scheduler) ask for it with {@code broker instanceof ScheduleHost host} on the {@link
 * dev.dq.core.port.Broker} port, never by casting to an adapter class.
 */
public interface ScheduleHost {
  /**
   * The schedules kept in this broker, whose fires enqueue into it.
   *
   * @return the schedules
   */
  Schedules schedules();
}
