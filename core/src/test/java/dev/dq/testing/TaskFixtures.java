package dev.dq.testing;

import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Instant;

/** Builders of tasks with fixed, boring defaults, so a test states only what matters to it. */
public final class TaskFixtures {
  /**
   * The creation time of every fixture task, and the start of every contract's {@link FakeClock}.
   */
  public static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");

  public static final String TYPE = "test";

  private TaskFixtures() {}

  /**
   * Type {@value #TYPE}, queue {@value Task#DEFAULT_QUEUE}, empty payload, created at {@link
   * #EPOCH}, attempt 1.
   */
  public static Task.Builder aTask(String id) {
    return Task.builder(TYPE).id(id).queue(Task.DEFAULT_QUEUE).createdAt(EPOCH);
  }

  /** Like {@link #aTask(String)} with a random id. */
  public static Task.Builder aTask() {
    return aTask(TaskId.random().value());
  }
}
