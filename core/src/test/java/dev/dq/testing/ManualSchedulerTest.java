package dev.dq.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.worker.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ManualSchedulerTest {
  private final FakeClock clock = FakeClock.at("2024-01-01T00:00:00Z");
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final Instant start = clock.instant();
  private final List<String> ran = new ArrayList<>();

  private Runnable record(String name) {
    return () -> ran.add(name + "@" + Duration.between(start, clock.instant()).toMillis());
  }

  @Test
  void advance_runsEachTaskAtItsDueTimeInOrder() {
    scheduler.schedule(record("b"), Duration.ofMillis(200));
    scheduler.schedule(record("a"), Duration.ofMillis(100));
    scheduler.schedule(record("c"), Duration.ofMillis(200));

    assertThat(scheduler.advance(Duration.ofMillis(250))).isEqualTo(3);

    assertThat(ran).containsExactly("a@100", "b@200", "c@200");
    assertThat(clock.instant()).isEqualTo(start.plusMillis(250));
  }

  @Test
  void advance_shorterThanTheDelay_runsNothingAndMovesTheClock() {
    scheduler.schedule(record("a"), Duration.ofMillis(100));

    assertThat(scheduler.advance(Duration.ofMillis(99))).isZero();

    assertThat(ran).isEmpty();
    assertThat(clock.instant()).isEqualTo(start.plusMillis(99));
    assertThat(scheduler.scheduled()).containsExactly("task");
  }

  @Test
  void scheduleWithFixedDelay_runsOncePerDelaySeeingItsDueTime() {
    scheduler.scheduleWithFixedDelay(
        "beat", record("beat"), Duration.ofMillis(50), Duration.ofMillis(100));

    scheduler.advance(Duration.ofSeconds(1));

    assertThat(ran).hasSize(10).startsWith("beat@50", "beat@150").endsWith("beat@950");
  }

  @Test
  void cancel_stopsRunsNotBegunYet() {
    Scheduler.Handle job =
        scheduler.scheduleWithFixedDelay(
            "job", record("job"), Duration.ofMillis(100), Duration.ofMillis(100));
    Scheduler.Handle task = scheduler.schedule(record("task"), Duration.ofMillis(150));

    scheduler.advance(Duration.ofMillis(100));
    job.cancel();
    task.cancel();
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(ran).containsExactly("job@100");
    assertThat(scheduler.scheduled()).isEmpty();
  }

  @Test
  void advance_taskScheduledByARunAndDueWithinTheAdvance_runsToo() {
    scheduler.schedule(
        () -> {
          ran.add("first");
          scheduler.schedule(record("second"), Duration.ofMillis(100));
        },
        Duration.ofMillis(100));

    scheduler.advance(Duration.ofMillis(200));

    assertThat(ran).containsExactly("first", "second@200");
  }

  @Test
  void runDue_runsWhatIsDueWithoutMovingTheClock() {
    scheduler.schedule(record("now"), Duration.ZERO);
    scheduler.schedule(record("later"), Duration.ofMillis(1));

    assertThat(scheduler.runDue()).isEqualTo(1);

    assertThat(ran).containsExactly("now@0");
    assertThat(clock.instant()).isEqualTo(start);
  }
}
