package dev.dq.core.limit;

import java.util.Objects;

/**
 * How many claims of this process on one queue a limit held back, for metrics.
 *
 * @param queue the queue
 * @param reason which kind of limit
 * @param count claims held back since the broker was created
 */
public record LimitedClaims(String queue, LimitReason reason, long count) {
  /**
   * Checks the values.
   *
   * @param queue the queue
   * @param reason the reason
   * @param count the count, at least 0
   * @throws IllegalArgumentException {@code count < 0}
   */
  public LimitedClaims {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(reason, "reason");
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0: " + count);
    }
  }
}
