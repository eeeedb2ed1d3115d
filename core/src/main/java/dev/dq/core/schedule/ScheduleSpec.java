package dev.dq.core.schedule;

import java.time.Duration;
import java.util.Objects;

/**
 * When a schedule ticks: a cron expression (5 fields, or 6 with seconds first) or a fixed interval.
 * Core does not parse cron expressions (that needs a library, see the {@code dq-cron} module); it
 * only keeps them.
 *
 * @param cron the cron expression, or null for an interval
 * @param every the interval, or null for a cron expression
 */
public record ScheduleSpec(String cron, Duration every) {

  /** Shortest interval: one second. */
  public static final Duration MIN_EVERY = Duration.ofSeconds(1);

  /**
   * Checks that exactly one of the two is given.
   *
   * @param cron the cron expression, or null
   * @param every the interval, or null
   * @throws IllegalArgumentException both or neither given, a blank expression, or an interval that
   *     is shorter than {@link #MIN_EVERY} or not whole milliseconds
   */
  public ScheduleSpec {
    if ((cron == null) == (every == null)) {
      throw new IllegalArgumentException("a schedule needs a cron expression or an interval, one");
    }
    if (cron != null) {
      cron = cron.strip().replaceAll("\\s+", " ");
      if (cron.isEmpty()) {
        throw new IllegalArgumentException("cron expression must not be blank");
      }
    }
    if (every != null && (every.compareTo(MIN_EVERY) < 0 || every.getNano() % 1_000_000 != 0)) {
      throw new IllegalArgumentException("interval must be whole milliseconds >= 1s: " + every);
    }
  }

  /**
   * A cron expression.
   *
   * @param expression 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first)
   * @return the spec
   */
  public static ScheduleSpec cron(String expression) {
    return new ScheduleSpec(Objects.requireNonNull(expression, "expression"), null);
  }

  /**
   * A fixed interval; its ticks are whole multiples of it since the epoch.
   *
   * @param interval at least one second
   * @return the spec
   */
  public static ScheduleSpec every(Duration interval) {
    return new ScheduleSpec(null, Objects.requireNonNull(interval, "interval"));
  }

  /**
   * Whether this is a cron expression rather than an interval.
   *
   * @return true for a cron expression
   */
  public boolean isCron() {
    return cron != null;
  }

  @Override
  public String toString() {
    return isCron() ? "cron \"" + cron + "\"" : "every " + every;
  }
}
