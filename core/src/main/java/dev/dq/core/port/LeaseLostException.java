package dev.dq.core.port;

import dev.dq.core.task.TaskQueueException;

/**
 * The lease is no longer valid (expired, reclaimed, settled already, or never existed); the call
 * changed nothing. An expected race: the task is, or will be, delivered again.
 */
public final class LeaseLostException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  public LeaseLostException(String message) {
    super(message);
  }

  public LeaseLostException(String message, Throwable cause) {
    super(message, cause);
  }
}
