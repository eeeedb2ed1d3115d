package dev.dq.cron;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.dq.core.schedule.Schedule;
import dev.dq.core.schedule.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.Objects;
import java.util.Optional;

/**
 * The ticks of a {@link ScheduleSpec}: {@link #nextAfter} gives the first tick strictly after an
 * instant.
 *
 * <p><b>Cron</b> expressions have 5 fields (minute hour day-of-month month day-of-week, as in
 * crontab) or 6 (seconds first), parsed by cron-utils. They are matched against the <i>local</i>
 * time of the zone, so that daylight-saving changes fire once: a local time skipped by a
 * spring-forward fires at the end of the gap (02:30 in Europe/Berlin on 2026-03-29 fires at 03:00
 * CEST), and a local time that occurs twice in a fall-back fires at its first occurrence only.
 *
 * <p><b>Intervals</b> tick at whole multiples of the interval since the epoch, whatever the zone,
 * so every process computes the same ticks.
 */
public abstract sealed class Ticks {
  private static final CronParser FIVE_FIELDS =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser SIX_FIELDS = new CronParser(withSeconds());

  /** Most local candidates one {@link #nextAfter} looks at in a repeated hour. */
  private static final int MAX_STEPS = 100_000;

  private Ticks() {}

  /**
   * The ticks of a schedule.
   *
   * @param schedule the schedule
   * @return its ticks
   * @throws IllegalArgumentException the cron expression is invalid (the message names it)
   */
  public static Ticks of(Schedule schedule) {
    return of(schedule.spec(), schedule.zone());
  }

  /**
   * The ticks of a spec in a zone.
   *
   * @param spec the spec
   * @param zone the zone of a cron expression (ignored for an interval)
   * @return its ticks
   * @throws IllegalArgumentException the cron expression is invalid (the message names it)
   */
  public static Ticks of(ScheduleSpec spec, ZoneId zone) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(zone, "zone");
    if (!spec.isCron()) {
      return new Interval(spec.every());
    }
    return new CronTicks(parse(spec.cron()), zone);
  }

  /**
   * Parses a cron expression of 5 or 6 fields.
   *
   * @param expression the expression
   * @return cron-utils' model of it
   * @throws IllegalArgumentException naming the expression and what is wrong with it
   */
  static Cron parse(String expression) {
    String[] fields = expression.strip().split("\\s+");
    CronParser parser;
    if (fields.length == 5) {
      parser = FIVE_FIELDS;
    } else if (fields.length == 6) {
      parser = SIX_FIELDS;
    } else {
      throw new IllegalArgumentException(
          "bad cron expression \""
              + expression
              + "\": it needs 5 fields (minute hour day month weekday) or 6 (seconds first), not "
              + fields.length);
    }
    try {
      return parser.parse(String.join(" ", fields)).validate();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "bad cron expression \"" + expression + "\": " + e.getMessage(), e);
    }
  }

  /** crontab's fields with a seconds field in front. */
  private static CronDefinition withSeconds() {
    return CronDefinitionBuilder.defineCron()
        .withSeconds()
        .withValidRange(0, 59)
        .withStrictRange()
        .and()
        .withMinutes()
        .withValidRange(0, 59)
        .withStrictRange()
        .and()
        .withHours()
        .withValidRange(0, 23)
        .withStrictRange()
        .and()
        .withDayOfMonth()
        .withValidRange(1, 31)
        .withStrictRange()
        .and()
        .withMonth()
        .withValidRange(1, 12)
        .withStrictRange()
        .and()
        .withDayOfWeek()
        .withValidRange(0, 7)
        .withMondayDoWValue(1)
        .withIntMapping(7, 0)
        .withStrictRange()
        .and()
        .matchDayOfWeekAndDayOfMonth()
        .instance();
  }

  /**
   * The first tick strictly after {@code t}.
   *
   * @param t the instant
   * @return the next tick
   * @throws IllegalStateException the expression never matches again (e.g. February 30th)
   */
  public abstract Instant nextAfter(Instant t);

  /** Ticks at multiples of a fixed interval since the epoch. */
  static final class Interval extends Ticks {
    private final long millis;

    Interval(Duration every) {
      this.millis = every.toMillis();
    }

    @Override
    public Instant nextAfter(Instant t) {
      long ms = t.toEpochMilli();
      return Instant.ofEpochMilli(Math.floorDiv(ms, millis) * millis + millis);
    }
  }

  /** Ticks of a cron expression, matched on the zone's local time. */
  static final class CronTicks extends Ticks {
    private final ExecutionTime execution;
    private final ZoneId zone;

    CronTicks(Cron cron, ZoneId zone) {
      this.execution = ExecutionTime.forCron(cron);
      this.zone = zone;
    }

    @Override
    public Instant nextAfter(Instant t) {
      // cron-utils runs on the local wall time, written as UTC so that it sees no DST; each local
      // match then maps to an instant: a gap's times to the gap's end, a repeated time to its first
      // occurrence. Candidates not after t (a repeated hour's second pass) are passed over.
      LocalDateTime local = LocalDateTime.ofInstant(t, zone).truncatedTo(ChronoUnit.SECONDS);
      for (int i = 0; i < MAX_STEPS; i++) {
        Optional<ZonedDateTime> next = execution.nextExecution(local.atZone(ZoneOffset.UTC));
        if (next.isEmpty()) {
          throw new IllegalStateException("cron expression never matches after " + local);
        }
        local = next.get().toLocalDateTime();
        Instant candidate = toInstant(local);
        if (candidate.isAfter(t)) {
          return candidate;
        }
      }
      throw new IllegalStateException("no tick within " + MAX_STEPS + " steps after " + t);
    }

    private Instant toInstant(LocalDateTime local) {
      ZoneOffsetTransition gap = zone.getRules().getTransition(local);
      if (gap != null && gap.isGap()) {
        return gap.getInstant();
      }
      // Not a gap: the earlier offset of an overlap, else the only one.
      return ZonedDateTime.ofLocal(local, zone, null).withEarlierOffsetAtOverlap().toInstant();
    }
  }
}
