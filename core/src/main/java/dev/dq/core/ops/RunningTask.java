package dev.dq.core.ops;

import dev.dq.core.task.Names;
import dev.dq.core.task.TaskId;
import java.util.Objects;

/**
 * A task a worker process runs now, as its heartbeat reports it.
 *
 * @param queue the task's queue
 * @param id the task's id
 */
public record RunningTask(String queue, TaskId id) {
  /**
   * Checks the components.
   *
   * @param queue the task's queue
   * @param id the task's id
   * @throws dev.dq.core.task.InvalidTaskException {@code queue} is not a valid queue name
   * @throws NullPointerException {@code id} is null
   */
  public RunningTask {
    Names.check("queue", queue);
    Objects.requireNonNull(id, "id");
  }
}
