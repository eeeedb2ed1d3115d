package dev.dq.core.port;

import dev.dq.core.task.TaskQueueException;

/**
 * A retry or release found the task's cancel requested ({@link dev.dq.core.lifecycle.TaskCancels}):
 * the delivery ended, but as cancelled, and the task is not queued again. Thrown only by brokers
 * that offer cancels; the call did settle the lease.
 */
public final class TaskCancelledException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public TaskCancelledException(String message) {
    super(message);
  }
}
