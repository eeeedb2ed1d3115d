package dev.dq.core.schedule;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored schedule with its progress.
 *
 * @param schedule the schedule as stored
 * @param nextTick the tick it fires next (the one {@link Schedules#fire} expects)
 * @param paused whether schedulers leave it alone
 */
public record ScheduleState(Schedule schedule, Instant nextTick, boolean paused) {
  /**
   * Checks the values.
   *
   * @param schedule the schedule
   * @param nextTick its next tick
   * @param paused whether it is paused
   */
  public ScheduleState {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(nextTick, "nextTick");
  }
}
