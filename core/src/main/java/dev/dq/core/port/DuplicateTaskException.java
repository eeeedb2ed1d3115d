package dev.dq.core.port;

import dev.dq.core.task.TaskQueueException;

/**
 * A task with the same id is already held by the queue (ready, delayed, in flight or dead); nothing
 * was enqueued.
 */
public final class DuplicateTaskException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  public DuplicateTaskException(String message) {
    super(message);
  }

  public DuplicateTaskException(String message, Throwable cause) {
    super(message, cause);
  }
}
