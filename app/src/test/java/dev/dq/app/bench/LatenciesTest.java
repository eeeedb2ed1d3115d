package dev.dq.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

final class LatenciesTest {

  @Test
  void of_hundredSamples_takesNearestRankPercentilesInMillis() {
    long[] nanos =
        LongStream.rangeClosed(1, 100)
            .map(i -> i * 1_000_000)
            .toArray(); // 1..100 ms, shuffled below
    for (int i = 0; i < nanos.length; i += 2) {
      long t = nanos[i];
      nanos[i] = nanos[nanos.length - 1 - i];
      nanos[nanos.length - 1 - i] = t;
    }

    Latencies l = Latencies.of(nanos);

    assertThat(l).isEqualTo(new Latencies(100, 50.0, 90.0, 99.0, 100.0));
  }

  @Test
  void of_oneSample_isEveryPercentile() {
    assertThat(Latencies.of(new long[] {2_500_000}))
        .isEqualTo(new Latencies(1, 2.5, 2.5, 2.5, 2.5));
  }

  @Test
  void of_noSamples_isRejected() {
    assertThatThrownBy(() -> Latencies.of(new long[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
