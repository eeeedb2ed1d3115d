package dev.dq.core.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * {@code base * multiplier^(failedAttempt - 1)}, capped at {@code max}, then reduced by up to
 * {@code jitter} of itself at random (0 = none, 1 = "full jitter") so that retries of many tasks
 * that failed together spread out.
 */
public record ExponentialBackoff(Duration base, double multiplier, Duration max, double jitter)
    implements Backoff {

  /** The default: 50 ms, doubling, capped at 1 s, no jitter. */
  public static final ExponentialBackoff DEFAULT =
      new ExponentialBackoff(Duration.ofMillis(50), 2.0, Duration.ofSeconds(1), 0.0);

  /**
   * Checks the parameters.
   *
   * @param base delay after the first failed attempt, at least 0
   * @param multiplier growth per further attempt, finite and at least 1
   * @param max longest delay, at least {@code base}
   * @param jitter share of the delay taken off at random, from 0 to 1
   * @throws IllegalArgumentException if a parameter is out of its range
   */
  public ExponentialBackoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(max, "max");
    if (base.isNegative()) {
      throw new IllegalArgumentException("base must be >= 0: " + base);
    }
    if (max.compareTo(base) < 0) {
      throw new IllegalArgumentException("max must be >= base (" + base + "): " + max);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be a finite number >= 1: " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be within [0, 1]: " + jitter);
    }
  }

  /**
   * This backoff with another jitter.
   *
   * @param jitter share of the delay taken off at random, from 0 to 1
   * @return the new backoff
   */
  public ExponentialBackoff withJitter(double jitter) {
    return new ExponentialBackoff(base, multiplier, max, jitter);
  }

  @Override
  public Duration delay(int failedAttempt, RandomGenerator random) {
    if (failedAttempt < 1) {
      throw new IllegalArgumentException("failedAttempt must be >= 1: " + failedAttempt);
    }
    double nanos = base.toNanos() * Math.pow(multiplier, failedAttempt - 1.0);
    long capped = nanos >= max.toNanos() ? max.toNanos() : (long) nanos;
    if (jitter > 0.0) {
      capped -= (long) (capped * jitter * random.nextDouble());
    }
    return Duration.ofNanos(capped);
  }
}
