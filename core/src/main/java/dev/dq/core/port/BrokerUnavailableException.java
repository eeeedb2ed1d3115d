package dev.dq.core.port;

import dev.dq.core.task.TaskQueueException;

/** The broker's backing store could not be reached. Transient: back off and retry. */
public final class BrokerUnavailableException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public BrokerUnavailableException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what happened
   * @param cause what caused it
   */
  public BrokerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
