package dev.dq.core.port;

import dev.dq.core.task.TaskQueueException;

/**
 * The lease is no longer valid (expired, reclaimed, settled already, or never existed); the call
 * changed nothing. An expected race: the task is, or will be, delivered again.
 */
public final class LeaseLostException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public LeaseLostException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what happened
   * @param cause what caused it
   */
  public LeaseLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
