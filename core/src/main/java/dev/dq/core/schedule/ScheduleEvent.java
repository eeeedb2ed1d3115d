package dev.dq.core.schedule;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a schedule's history: what became of one tick.
 *
 * @param tick the tick
 * @param taskId the id of its run (enqueued only for {@link FireOutcome#FIRED})
 * @param outcome what happened: one of the outcomes that advance the schedule
 * @param at when it happened, on the broker's clock
 */
public record ScheduleEvent(Instant tick, String taskId, FireOutcome outcome, Instant at) {
  /**
   * Checks the values.
   *
   * @param tick the tick
   * @param taskId the run's id
   * @param outcome the outcome
   * @param at when
   */
  public ScheduleEvent {
    Objects.requireNonNull(tick, "tick");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(at, "at");
  }
}
