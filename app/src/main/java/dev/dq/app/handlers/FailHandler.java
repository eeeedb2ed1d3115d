package dev.dq.app.handlers;

import dev.dq.core.task.Task;
import dev.dq.core.worker.NamedTaskHandler;
import dev.dq.core.worker.NonRetryableException;

/**
 * Built-in {@code fail}: always fails without retries, so the task goes straight to the dead-letter
 * queue.
 */
public final class FailHandler implements NamedTaskHandler {

  @Override
  public String type() {
    return "fail";
  }

  @Override
  public void handle(Task task) {
    String reason = task.payload().asUtf8().strip();
    throw new NonRetryableException(reason.isEmpty() ? "failed on purpose" : reason);
  }
}
