package dev.dq.core.port;

import dev.dq.core.task.Task;
import java.time.Instant;
import java.util.Objects;

/**
 * Proof that one worker holds one delivery of a task until {@code expiresAt}. Settle it exactly
 * once with {@link Broker#ack}, {@link Broker#retryLater}, {@link Broker#release} or {@link
 * Broker#deadLetter}, or extend it.
 *
 * @param task the task as delivered ({@link Task#attempt()} is this delivery's attempt number)
 * @param token fencing token: unique per delivery, so a settle from an older delivery of the same
 *     task is refused
 * @param expiresAt when the broker may reclaim the task and deliver it again (broker's clock)
 */
public record Lease(Task task, long token, Instant expiresAt) {
  /**
   * Checks that the task and the expiry are present.
   *
   * @param task the task as delivered
   * @param token fencing token of the delivery
   * @param expiresAt when the broker may reclaim the task
   */
  public Lease {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
