package dev.dq.core.port;

import dev.dq.core.task.TaskQueueException;

/** The broker's backing store could not be reached. Transient: back off and retry. */
public final class BrokerUnavailableException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  public BrokerUnavailableException(String message) {
    super(message);
  }

  public BrokerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
