package dev.dq.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.ops.Throughput;
import dev.dq.core.ops.ThroughputCounts;
import dev.dq.core.ops.ThroughputPoint;
import dev.dq.core.port.Broker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every broker that offers {@link Throughput} must do: counts add up per minute of the
 * broker's clock, per queue; history is dense, oldest first, ending with the current minute; only
 * the last {@link Throughput#MAX_MINUTES} minutes are kept. An adapter's test extends it and
 * supplies {@link #createBroker}; time comes only from {@link #clock}.
 */
public abstract class ThroughputContract {
  /** 30 s into a minute. */
  protected final FakeClock clock = FakeClock.at(Instant.parse("2024-01-01T10:00:30Z"));

  protected Broker broker;
  protected Throughput throughput;

  /** A new, empty broker that offers {@link Throughput} and reads time from {@code clock}. */
  protected abstract Broker createBroker(InstantSource clock);

  @BeforeEach
  final void createDefaultBroker() {
    broker = createBroker(clock);
    throughput = (Throughput) broker;
  }

  @AfterEach
  final void closeBroker() {
    broker.close();
  }

  @Test
  void history_denseOldestFirst_endingNow_zerosWhereNone() {
    List<ThroughputPoint> points = throughput.history("q", 5);

    assertThat(points)
        .extracting(ThroughputPoint::minute)
        .containsExactly(
            Instant.parse("2024-01-01T09:56:00Z"),
            Instant.parse("2024-01-01T09:57:00Z"),
            Instant.parse("2024-01-01T09:58:00Z"),
            Instant.parse("2024-01-01T09:59:00Z"),
            Instant.parse("2024-01-01T10:00:00Z"));
    assertThat(points).allMatch(p -> p.counts().isEmpty());
  }

  @Test
  void record_addsUpWithinAMinute_perQueue() {
    throughput.record("q", new ThroughputCounts(3, 1, 0));
    clock.advance(Duration.ofSeconds(20));
    throughput.record("q", new ThroughputCounts(2, 2, 1));
    throughput.record("other", new ThroughputCounts(100, 0, 0));
    clock.advance(Duration.ofSeconds(20)); // next minute
    throughput.record("q", new ThroughputCounts(7, 0, 0));

    List<ThroughputPoint> points = throughput.history("q", 3);

    assertThat(points)
        .extracting(ThroughputPoint::counts)
        .containsExactly(
            ThroughputCounts.NONE, new ThroughputCounts(5, 3, 1), new ThroughputCounts(7, 0, 0));
    assertThat(throughput.history("other", 2).get(0).counts())
        .isEqualTo(new ThroughputCounts(100, 0, 0));
  }

  @Test
  void minutesOlderThanTheWindow_forgotten() {
    throughput.record("q", new ThroughputCounts(1, 0, 0));
    clock.advance(Duration.ofMinutes(Throughput.MAX_MINUTES - 1));
    throughput.record("q", new ThroughputCounts(2, 0, 0));
    assertThat(throughput.history("q", Throughput.MAX_MINUTES).get(0).counts().processed())
        .isEqualTo(1);

    clock.advance(Duration.ofMinutes(1));
    throughput.record("q", new ThroughputCounts(3, 0, 0));
    clock.advance(Duration.ofMinutes(Throughput.MAX_MINUTES - 2));

    List<ThroughputPoint> all = throughput.history("q", Throughput.MAX_MINUTES);
    assertThat(all.stream().mapToLong(p -> p.counts().processed()).sum()).isEqualTo(5);
    assertThat(all.get(0).counts().processed()).isEqualTo(2);
  }

  @Test
  void hoursLater_historyIsEmpty() {
    throughput.record("q", new ThroughputCounts(1, 1, 1));
    clock.advance(Duration.ofHours(3));

    assertThat(throughput.history("q", Throughput.MAX_MINUTES)).allMatch(p -> p.counts().isEmpty());
  }

  @Test
  void minutesOutOfRange_refused() {
    assertThatThrownBy(() -> throughput.history("q", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> throughput.history("q", Throughput.MAX_MINUTES + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
