package dev.dq.core.lifecycle;

import java.time.Duration;
import java.util.Objects;

/**
 * How long and how many ended tasks a queue keeps for lookup; older and surplus ones are trimmed
 * with everything they hold (see {@link TaskRetention}).
 *
 * @param finishedFor how long succeeded and cancelled tasks are kept after they ended
 * @param finishedMax how many of them at most (the oldest go first)
 * @param deadFor how long dead letters are kept after they died
 * @param deadMax how many dead letters at most (the oldest go first)
 */
public record Retention(Duration finishedFor, long finishedMax, Duration deadFor, long deadMax) {

  /** The defaults: 24 hours and 100,000 finished tasks, 30 days and 100,000 dead letters. */
  public static final Retention DEFAULT =
      new Retention(Duration.ofHours(24), 100_000, Duration.ofDays(30), 100_000);

  /**
   * Checks the values.
   *
   * @param finishedFor how long succeeded and cancelled tasks are kept after they ended
   * @param finishedMax how many of them at most (the oldest go first)
   * @param deadFor how long dead letters are kept after they died
   * @param deadMax how many dead letters at most (the oldest go first)
   * @throws IllegalArgumentException a duration is negative or a count below zero (the message
   *     names the value); zero keeps nothing
   */
  public Retention {
    Objects.requireNonNull(finishedFor, "finishedFor");
    Objects.requireNonNull(deadFor, "deadFor");
    if (finishedFor.isNegative() || deadFor.isNegative()) {
      throw new IllegalArgumentException(
          "retention times must not be negative: " + finishedFor + ", " + deadFor);
    }
    if (finishedMax < 0 || deadMax < 0) {
      throw new IllegalArgumentException(
          "retention counts must not be negative: " + finishedMax + ", " + deadMax);
    }
  }
}
