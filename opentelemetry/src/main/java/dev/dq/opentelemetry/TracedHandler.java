package dev.dq.opentelemetry;

import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.worker.ResultTaskHandler;
import dev.dq.core.worker.TaskHandler;

/**
 * Runs a handler's attempts in consumer spans. A {@link ResultTaskHandler} so that a wrapped
 * handler's result still reaches the pool; a plain handler's result is {@link Payload#EMPTY}, which
 * the pool treats as none.
 */
class TracedHandler implements ResultTaskHandler {
  private final DqTracing tracing;
  private final TaskHandler handler;

  TracedHandler(DqTracing tracing, TaskHandler handler) {
    this.tracing = tracing;
    this.handler = java.util.Objects.requireNonNull(handler, "handler");
  }

  @Override
  public Payload call(Task task) throws Exception {
    return tracing.process(task, handler);
  }

  @Override
  public String toString() {
    return "traced " + handler;
  }
}
