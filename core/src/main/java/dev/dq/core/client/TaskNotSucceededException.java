package dev.dq.core.client;

import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.task.TaskQueueException;
import java.util.Objects;

/**
 * {@link DqClient#result} was asked for the result of a task that ended without one: it died
 * (retries exhausted or a non-retryable failure) or was cancelled. {@link #info()} tells which, and
 * the last error of a dead task.
 */
public class TaskNotSucceededException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /** What the broker knows of the task; not serialized. */
  private final transient TaskInfo info;

  /**
   * Creates the exception.
   *
   * @param info the task's terminal state and details
   */
  public TaskNotSucceededException(TaskInfo info) {
    super(
        "task "
            + info.id()
            + " of queue "
            + info.queue()
            + " ended "
            + info.state().name().toLowerCase(java.util.Locale.ROOT)
            + info.lastError().map(f -> ": " + f.errorType() + ": " + f.message()).orElse(""));
    this.info = Objects.requireNonNull(info, "info");
  }

  /**
   * The task's terminal state and details.
   *
   * @return what the broker knows of the task
   */
  public TaskInfo info() {
    return info;
  }
}
