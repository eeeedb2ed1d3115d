package dev.dq.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

final class ExponentialBackoffTest {
  /** For backoffs without jitter, which must not draw from it at all. */
  private static final RandomGenerator NO_RANDOM =
      () -> {
        throw new AssertionError("a backoff without jitter drew a random number");
      };

  @Test
  void delay_default_doublesFrom50msAndCapsAt1s() {
    List<Long> millis =
        IntStream.rangeClosed(1, 7)
            .mapToObj(a -> ExponentialBackoff.DEFAULT.delay(a, NO_RANDOM).toMillis())
            .toList();

    assertThat(millis).containsExactly(50L, 100L, 200L, 400L, 800L, 1000L, 1000L);
  }

  @Test
  void delay_hugeAttempt_staysAtMax() {
    assertThat(ExponentialBackoff.DEFAULT.delay(10_000, NO_RANDOM))
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void delay_halfJitter_staysWithinUpperHalf() {
    ExponentialBackoff backoff = ExponentialBackoff.DEFAULT.withJitter(0.5);
    SplittableRandom random = new SplittableRandom(42);

    for (int attempt = 1; attempt <= 7; attempt++) {
      long full = ExponentialBackoff.DEFAULT.delay(attempt, NO_RANDOM).toNanos();
      for (int i = 0; i < 1_000; i++) {
        assertThat(backoff.delay(attempt, random).toNanos()).isBetween(full / 2, full);
      }
    }
  }

  @Test
  void delay_fullJitter_spreadsOverWholeRange() {
    ExponentialBackoff backoff = ExponentialBackoff.DEFAULT.withJitter(1.0);
    SplittableRandom random = new SplittableRandom(7);

    List<Duration> delays =
        IntStream.range(0, 1_000).mapToObj(i -> backoff.delay(7, random)).toList();

    assertThat(delays)
        .allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(1)));
    assertThat(delays).anySatisfy(d -> assertThat(d).isLessThan(Duration.ofMillis(250)));
    assertThat(delays).anySatisfy(d -> assertThat(d).isGreaterThan(Duration.ofMillis(750)));
  }

  @Test
  void delay_sameSeed_sameDelays() {
    ExponentialBackoff backoff = ExponentialBackoff.DEFAULT.withJitter(0.3);

    assertThat(backoff.delay(4, new SplittableRandom(1)))
        .isEqualTo(backoff.delay(4, new SplittableRandom(1)));
  }

  @Test
  void delay_attemptBelowOne_throws() {
    assertThatThrownBy(() -> ExponentialBackoff.DEFAULT.delay(0, NO_RANDOM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failedAttempt must be >= 1: 0");
  }

  @Test
  void constructor_badValues_throwNamingValue() {
    Duration ms50 = Duration.ofMillis(50);
    Duration s1 = Duration.ofSeconds(1);

    assertThatThrownBy(() -> new ExponentialBackoff(Duration.ofMillis(-1), 2.0, s1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("base must be >= 0: PT-0.001S");
    assertThatThrownBy(() -> new ExponentialBackoff(s1, 2.0, ms50, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max must be >= base (PT1S): PT0.05S");
    assertThatThrownBy(() -> new ExponentialBackoff(ms50, 0.5, s1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("multiplier must be a finite number >= 1: 0.5");
    assertThatThrownBy(() -> new ExponentialBackoff(ms50, Double.NaN, s1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("multiplier must be a finite number >= 1: NaN");
    assertThatThrownBy(() -> new ExponentialBackoff(ms50, Double.POSITIVE_INFINITY, s1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("multiplier must be a finite number >= 1: Infinity");
    assertThatThrownBy(() -> ExponentialBackoff.DEFAULT.withJitter(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jitter must be within [0, 1]: 1.5");
    assertThatThrownBy(() -> ExponentialBackoff.DEFAULT.withJitter(-0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jitter must be within [0, 1]: -0.1");
    assertThatThrownBy(() -> new ExponentialBackoff(null, 2.0, s1, 0))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("base");
  }
}
