package dev.dq.core.lifecycle;

import dev.dq.core.task.TaskId;
import java.util.Objects;

/**
 * What {@link UniqueTasks#enqueueUnique} did.
 *
 * @param id the id of the task that holds the key: the new task's if it was enqueued, else the
 *     existing one's
 * @param enqueued true if the task was enqueued; false if the key was taken and nothing was
 */
public record UniqueOutcome(TaskId id, boolean enqueued) {
  /**
   * Checks that the id is present.
   *
   * @param id the id of the task that holds the key: the new task's if it was enqueued, else the
   *     existing one's
   * @param enqueued true if the task was enqueued; false if the key was taken and nothing was
   * @throws NullPointerException {@code id} is null
   */
  public UniqueOutcome {
    Objects.requireNonNull(id, "id");
  }
}
