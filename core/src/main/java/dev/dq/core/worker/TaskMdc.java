package dev.dq.core.worker;

import dev.dq.core.task.Task;
import org.slf4j.MDC;

/**
 * The MDC keys {@code task_id}, {@code task_type}, {@code queue} and {@code attempt} of the task a
 * worker thread runs, so that every line its handler logs carries them.
 *
 * <p>A worker sets them when a task starts, overwriting the last task's values, and removes them
 * only when it turns to anything other than running its next task (acking, fetching, parking,
 * exiting): putting and removing four keys around every task was a third of a no-op task's cost,
 * since the MDC copies its map on change (issue 11).
 */
final class TaskMdc {
  private TaskMdc() {}

  static void put(Task task) {
    MDC.put("task_id", task.id().value());
    MDC.put("task_type", task.type());
    MDC.put("queue", task.queue());
    MDC.put("attempt", Integer.toString(task.attempt()));
  }

  static void clear() {
    MDC.remove("task_id");
    MDC.remove("task_type");
    MDC.remove("queue");
    MDC.remove("attempt");
  }
}
