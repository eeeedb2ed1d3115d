package dev.dq.app.demo;

import dev.dq.core.worker.TaskEvent;
import dev.dq.core.worker.TaskEventListener;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the demo's task events for its summary. Thread-safe, lock-free: it runs on every worker
 * thread.
 */
public final class DemoStats implements TaskEventListener {
  private final LongAdder enqueued = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failedAttempts = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();

  @Override
  public void on(TaskEvent event) {
    if (event instanceof TaskEvent.Enqueued) {
      enqueued.increment();
    } else if (event instanceof TaskEvent.Succeeded) {
      succeeded.increment();
    } else if (event instanceof TaskEvent.Failed failed) {
      failedAttempts.increment();
      if (failed.retryIn().isPresent()) {
        retried.increment();
      }
    } else if (event instanceof TaskEvent.DeadLettered) {
      deadLettered.increment();
    }
  }

  long enqueued() {
    return enqueued.sum();
  }

  long succeeded() {
    return succeeded.sum();
  }

  long failedAttempts() {
    return failedAttempts.sum();
  }

  /** Retries scheduled (a task retried twice counts twice). */
  long retried() {
    return retried.sum();
  }

  long deadLettered() {
    return deadLettered.sum();
  }

  /** Tasks that reached an end: succeeded or dead-lettered. */
  long finished() {
    return succeeded() + deadLettered();
  }
}
