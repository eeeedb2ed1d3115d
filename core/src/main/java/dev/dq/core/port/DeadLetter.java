package dev.dq.core.port;

import dev.dq.core.task.Task;
import java.util.Objects;

/** A task that was given up on, and why. */
public record DeadLetter(Task task, Failure failure) {
  /**
   * Checks that both parts are present.
   *
   * @param task the task given up on
   * @param failure why
   */
  public DeadLetter {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(failure, "failure");
  }
}
