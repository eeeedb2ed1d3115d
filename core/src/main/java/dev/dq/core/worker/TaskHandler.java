package dev.dq.core.worker;

import dev.dq.core.task.Task;

/**
 * Does the work of one task type. Called on a pool thread, one task per call; the same instance may
 * run on several threads at once, so it must be thread-safe.
 *
 * <p>Return normally for success. Throw to fail the attempt: it is retried per the {@link
 * dev.dq.core.retry.RetryPolicy}, unless the exception is a {@link NonRetryableException}, which
 * dead-letters the task at once. Delivery is at-least-once, so a handler may see the same {@link
 * Task#id()} again and should be idempotent.
 *
 * <p>Interruption means stop now (shutdown grace over, or the task's timeout expired): let the
 * {@link InterruptedException} propagate, or restore the interrupt flag and return.
 */
@FunctionalInterface
public interface TaskHandler {
  /**
   * Runs the task.
   *
   * @param task the task, as delivered (its attempt number included)
   * @throws Exception to fail the attempt
   */
  void handle(Task task) throws Exception;
}
