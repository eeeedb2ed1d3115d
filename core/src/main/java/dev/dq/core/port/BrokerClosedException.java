package dev.dq.core.port;

import dev.dq.core.task.TaskQueueException;

/** The broker was closed: it accepts nothing more, and a dequeue finds nothing more. */
public final class BrokerClosedException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public BrokerClosedException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what happened
   * @param cause what caused it
   */
  public BrokerClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
