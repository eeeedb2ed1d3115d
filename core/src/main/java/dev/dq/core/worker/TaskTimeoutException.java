package dev.dq.core.worker;

import dev.dq.core.task.TaskQueueException;

/** The failure recorded for an attempt whose handler overran its time limit. */
public final class TaskTimeoutException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public TaskTimeoutException(String message) {
    super(message);
  }
}
