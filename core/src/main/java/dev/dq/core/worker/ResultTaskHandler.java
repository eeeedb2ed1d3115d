package dev.dq.core.worker;

import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;

/**
 * A {@link TaskHandler} whose success has a result: the worker pool stores it with the task's
 * {@code SUCCEEDED} record when the broker keeps results ({@link
 * dev.dq.core.lifecycle.TaskLookup}), where {@code dq task result} and {@link
 * dev.dq.core.lifecycle.TaskLookup#await} find it. Failures, retries and interruption are as for
 * {@link TaskHandler}.
 */
@FunctionalInterface
public interface ResultTaskHandler extends TaskHandler {

  /**
   * Runs the task and returns its result.
   *
   * @param task the task, as delivered
   * @return the result; {@link Payload#EMPTY} for none
   * @throws Exception to fail the attempt
   */
  Payload call(Task task) throws Exception;

  /** Runs {@link #call} and drops the result, for callers that want none. */
  @Override
  default void handle(Task task) throws Exception {
    call(task);
  }
}
