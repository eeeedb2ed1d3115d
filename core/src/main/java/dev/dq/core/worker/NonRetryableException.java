package dev.dq.core.worker;

import dev.dq.core.task.TaskQueueException;

/**
 * Thrown by a handler to send its task to the dead-letter queue at once, skipping any retries left.
 */
public class NonRetryableException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  public NonRetryableException(String message) {
    super(message);
  }

  public NonRetryableException(String message, Throwable cause) {
    super(message, cause);
  }
}
