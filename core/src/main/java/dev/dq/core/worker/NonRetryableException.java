package dev.dq.core.worker;

import dev.dq.core.task.TaskQueueException;

/**
 * Thrown by a handler to send its task to the dead-letter queue at once, skipping any retries left.
 */
public class NonRetryableException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public NonRetryableException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what happened
   * @param cause what caused it
   */
  public NonRetryableException(String message, Throwable cause) {
    super(message, cause);
  }
}
