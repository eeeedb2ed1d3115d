package dev.dq.core.port;

import dev.dq.core.task.TaskQueueException;

/**
 * A task with the same id is already held by the queue (ready, delayed, in flight or dead); nothing
 * was enqueued.
 */
public final class DuplicateTaskException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public DuplicateTaskException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what happened
   * @param cause what caused it
   */
  public DuplicateTaskException(String message, Throwable cause) {
    super(message, cause);
  }
}
