package dev.dq.core.port;

import dev.dq.core.task.TaskQueueException;

/** No task with that id where one was looked for. An expected race in most callers. */
public final class TaskNotFoundException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  public TaskNotFoundException(String message) {
    super(message);
  }

  public TaskNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
