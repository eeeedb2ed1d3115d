package dev.dq.core.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** How long to wait before the next attempt. Implementations are immutable and thread-safe. */
@FunctionalInterface
public interface Backoff {
  /**
   * The delay before the attempt after {@code failedAttempt}.
   *
   * @param failedAttempt the attempt that just failed, from 1
   * @param random source for jitter; implementations without jitter ignore it
   * @return the delay, never negative
   */
  Duration delay(int failedAttempt, RandomGenerator random);
}
