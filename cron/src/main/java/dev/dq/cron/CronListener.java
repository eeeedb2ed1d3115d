package dev.dq.cron;

import dev.dq.core.schedule.FireOutcome;
import dev.dq.core.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;

/** Hears what a {@link CronScheduler} did with each tick, for metrics. Must not throw or block. */
@FunctionalInterface
public interface CronListener {
  /** A listener that does nothing. */
  CronListener NONE = (schedule, tick, outcome, lag) -> {};

  /**
   * One step's outcome. {@link FireOutcome#STALE} means another scheduler (or an operator) got
   * there first; it is normal when several schedulers run.
   *
   * @param schedule the schedule
   * @param tick the tick
   * @param outcome what the step did
   * @param lag broker time from the tick to the step
   */
  void onStep(Schedule schedule, Instant tick, FireOutcome outcome, Duration lag);
}
