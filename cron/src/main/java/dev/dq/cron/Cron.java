package dev.dq.cron;

import dev.dq.core.schedule.Schedule;
import dev.dq.core.schedule.Schedules;
import dev.dq.core.schedule.UpsertOutcome;
import java.time.Instant;

/**
 * The steps of the {@link Schedules} port that need tick arithmetic: adding a schedule (its first
 * tick) and resuming one (its next tick), both from the broker's "now".
 */
public final class Cron {
  private Cron() {}

  /**
   * Checks a schedule's spec, then stores it with its first tick after the broker's now. Adding the
   * same schedule again changes nothing (see {@link Schedules#upsert}).
   *
   * @param schedules where to store it
   * @param schedule the schedule
   * @return what was done
   * @throws IllegalArgumentException the cron expression is invalid (the message names it)
   */
  public static UpsertOutcome add(Schedules schedules, Schedule schedule) {
    Ticks ticks = Ticks.of(schedule);
    return schedules.upsert(schedule, ticks.nextAfter(schedules.now()));
  }

  /**
   * Resumes a paused schedule at its first tick after the broker's now.
   *
   * @param schedules where it is
   * @param queue its queue
   * @param name its name
   * @return false if there is no such schedule
   */
  public static boolean resume(Schedules schedules, String queue, String name) {
    var state = schedules.get(queue, name);
    if (state.isEmpty()) {
      return false;
    }
    Instant next = Ticks.of(state.get().schedule()).nextAfter(schedules.now());
    return schedules.resume(queue, name, next);
  }
}
