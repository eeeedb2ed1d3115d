package dev.dq.core.port;

import dev.dq.core.task.TaskQueueException;

/** No task with that id where one was looked for. An expected race in most callers. */
public final class TaskNotFoundException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public TaskNotFoundException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what happened
   * @param cause what caused it
   */
  public TaskNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
