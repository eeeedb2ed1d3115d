package dev.dq.core.client;

import dev.dq.core.task.Names;
import dev.dq.core.task.TaskId;
import java.util.Objects;

/**
 * A task as {@link DqClient#enqueue} answers it: enough to find, await or cancel it later.
 *
 * @param id the task's id: the new task's, or, when a unique key was held already, the id of the
 *     task that holds it
 * @param queue its queue
 * @param enqueued true if the call enqueued a task; false if a task holding the same unique key
 *     existed (nothing was enqueued), or the reference was made with {@link #of}
 */
public record TaskRef(TaskId id, String queue, boolean enqueued) {

  /**
   * Checks the components.
   *
   * @param id the task's id
   * @param queue its queue
   * @param enqueued true if the call enqueued a task
   * @throws dev.dq.core.task.InvalidTaskException {@code queue} is not a valid queue name
   */
  public TaskRef {
    Objects.requireNonNull(id, "id");
    Names.check("queue", queue);
  }

  /**
   * A reference to a task known by its queue and id (for instance from another process).
   *
   * @param queue its queue
   * @param id its id
   * @return the reference, with {@code enqueued} false
   */
  public static TaskRef of(String queue, TaskId id) {
    return new TaskRef(id, queue, false);
  }
}
