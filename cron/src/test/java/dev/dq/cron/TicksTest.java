package dev.dq.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.schedule.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class TicksTest {
  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static List<Instant> between(Ticks ticks, Instant from, Instant to) {
    List<Instant> out = new ArrayList<>();
    Instant t = ticks.nextAfter(from.minusMillis(1));
    while (t.isBefore(to)) {
      out.add(t);
      t = ticks.nextAfter(t);
    }
    return out;
  }

  private static Ticks cron(String expr, ZoneId zone) {
    return Ticks.of(ScheduleSpec.cron(expr), zone);
  }

  @Test
  void fiveFields_everyMinute_ticksOnMinuteBoundaries_strictlyAfter() {
    Ticks t = cron("* * * * *", UTC);
    assertThat(t.nextAfter(Instant.parse("2026-01-01T10:00:00Z")))
        .isEqualTo(Instant.parse("2026-01-01T10:01:00Z"));
    assertThat(t.nextAfter(Instant.parse("2026-01-01T10:00:59.999Z")))
        .isEqualTo(Instant.parse("2026-01-01T10:01:00Z"));
  }

  @Test
  void sixFields_haveSecondsFirst() {
    Ticks t = cron("*/15 * * * * *", UTC);
    assertThat(t.nextAfter(Instant.parse("2026-01-01T10:00:00Z")))
        .isEqualTo(Instant.parse("2026-01-01T10:00:15Z"));
    assertThat(
            between(
                t, Instant.parse("2026-01-01T10:00:00Z"), Instant.parse("2026-01-01T10:01:00Z")))
        .hasSize(4);
    assertThat(cron("* * * * * *", UTC).nextAfter(Instant.parse("2026-01-01T10:00:00.400Z")))
        .isEqualTo(Instant.parse("2026-01-01T10:00:01Z"));
  }

  @Test
  void everyMinuteOfHourZero_ticks60TimesADay_notMore() {
    // asynq#306: "* 0 * * *" enqueued 22 times in a short window.
    Ticks t = cron("* 0 * * *", UTC);
    List<Instant> day =
        between(t, Instant.parse("2026-05-01T00:00:00Z"), Instant.parse("2026-05-02T00:00:00Z"));
    assertThat(day).hasSize(60).doesNotHaveDuplicates();
    assertThat(day.get(59)).isEqualTo(Instant.parse("2026-05-01T00:59:00Z"));
  }

  @Test
  void stepFromZero_0slash59_ticksAtMinutes0And59Only() {
    // jobrunr#870: "0/59" launched twice.
    Ticks t = cron("0/59 * * * *", UTC);
    assertThat(
            between(
                t, Instant.parse("2026-05-01T10:00:00Z"), Instant.parse("2026-05-01T11:00:00Z")))
        .containsExactly(
            Instant.parse("2026-05-01T10:00:00Z"), Instant.parse("2026-05-01T10:59:00Z"));
  }

  @Test
  void zone_isTheZoneOfTheLocalTime() {
    Ticks t = cron("0 9 * * *", BERLIN);
    assertThat(t.nextAfter(Instant.parse("2026-01-15T00:00:00Z")))
        .isEqualTo(Instant.parse("2026-01-15T08:00:00Z"));
    assertThat(t.nextAfter(Instant.parse("2026-07-15T00:00:00Z")))
        .isEqualTo(Instant.parse("2026-07-15T07:00:00Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"30 2 * * *", "0 30 2 * * *"})
  void dailyAt0230Berlin_firesOnceADay_acrossBothDstChanges(String expr) {
    Ticks t = cron(expr, BERLIN);
    for (String day :
        List.of(
            "2026-03-28", "2026-03-29", "2026-03-30", "2026-10-24", "2026-10-25", "2026-10-26")) {
      Instant from =
          ZonedDateTime.parse(day + "T00:00:00+00:00[UTC]").toInstant().minus(Duration.ofHours(2));
      Instant to = from.plus(Duration.ofDays(1));
      List<Instant> ticks = between(t, from, to);
      assertThat(ticks).as(day).hasSize(1);
    }
    // Spring forward: 02:30 does not exist on 2026-03-29; it fires at the end of the gap, 03:00
    // CEST.
    assertThat(t.nextAfter(Instant.parse("2026-03-28T23:00:00Z")))
        .isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
    // Fall back: 02:30 occurs twice on 2026-10-25; it fires at the first, 02:30 CEST.
    assertThat(t.nextAfter(Instant.parse("2026-10-24T23:00:00Z")))
        .isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
    assertThat(t.nextAfter(Instant.parse("2026-10-25T00:30:00Z")))
        .isEqualTo(Instant.parse("2026-10-26T01:30:00Z"));
  }

  @Test
  void everyQuarterOfTheSkippedHour_firesOnce_atTheGapsEnd() {
    Ticks t = cron("*/15 2 * * *", BERLIN);
    assertThat(
            between(
                t, Instant.parse("2026-03-28T23:00:00Z"), Instant.parse("2026-03-29T22:00:00Z")))
        .containsExactly(Instant.parse("2026-03-29T01:00:00Z"));
  }

  @Test
  void interval_ticksAtMultiplesSinceTheEpoch_whateverTheZone() {
    Ticks t = Ticks.of(ScheduleSpec.every(Duration.ofSeconds(30)), BERLIN);
    assertThat(t.nextAfter(Instant.parse("2026-01-01T10:00:10Z")))
        .isEqualTo(Instant.parse("2026-01-01T10:00:30Z"));
    assertThat(t.nextAfter(Instant.parse("2026-01-01T10:00:30Z")))
        .isEqualTo(Instant.parse("2026-01-01T10:01:00Z"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"* * * *", "61 * * * *", "* * * * * * *", "nonsense here x y z", "* 25 * * *"})
  void badExpression_isRefused_namingIt(String expr) {
    assertThatThrownBy(() -> cron(expr, UTC))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad cron expression \"" + expr + "\"");
  }
}
