package dev.dq.core.port;

import dev.dq.core.task.TaskQueueException;

/**
 * The queue stayed at capacity for the whole enqueue timeout; nothing of the rejected call was
 * enqueued. Back off and retry, or shed load.
 */
public final class QueueFullException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public QueueFullException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what happened
   * @param cause what caused it
   */
  public QueueFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
