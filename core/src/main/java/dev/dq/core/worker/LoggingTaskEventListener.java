package dev.dq.core.worker;

import dev.dq.core.lifecycle.Trimmed;
import dev.dq.core.task.Task;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Logs one line per {@link TaskEvent} with the MDC keys {@code task_id}, {@code task_type}, {@code
 * queue}, {@code attempt} and, where known, {@code worker} and {@code duration_ms}. Enqueue, start
 * and success are DEBUG-worthy in a busy system but the lifecycle story of a task is what operators
 * read, so they log at INFO; failures WARN.
 */
public final class LoggingTaskEventListener implements TaskEventListener {
  private static final Logger log = LoggerFactory.getLogger("dev.dq.tasks");

  @Override
  public void onTrimmed(String queue, Trimmed t) {
    log.info("retention trimmed queue {}: {} finished, {} dead", queue, t.finished(), t.dead());
  }

  @Override
  public void on(TaskEvent event) {
    Task task = event.task();
    try (var a = Restoring.put("task_id", task.id().value());
        var b = Restoring.put("task_type", task.type());
        var c = Restoring.put("queue", task.queue());
        var d = Restoring.put("attempt", Integer.toString(task.attempt()))) {
      if (event instanceof TaskEvent.Enqueued) {
        log.info("enqueued");
      } else if (event instanceof TaskEvent.UniqueHit e) {
        log.info("not enqueued: its unique key is held by task {}", e.existing());
      } else if (event instanceof TaskEvent.Started e) {
        withWorker(
            e.worker(),
            null,
            () -> log.info("started after {} ms in queue", e.queueWait().toMillis()));
      } else if (event instanceof TaskEvent.Succeeded e) {
        withWorker(e.worker(), e.duration(), () -> log.info("succeeded"));
      } else if (event instanceof TaskEvent.Failed e) {
        withWorker(e.worker(), e.duration(), () -> logFailure(e));
      } else if (event instanceof TaskEvent.TimedOut e) {
        withWorker(e.worker(), e.timeout(), () -> log.warn("timed out after {}", e.timeout()));
      } else if (event instanceof TaskEvent.DeadLettered e) {
        log.warn(
            "dead-lettered after {} attempts: {}: {}",
            e.failure().attempts(),
            e.failure().errorType(),
            e.failure().message());
      } else if (event instanceof TaskEvent.Released e) {
        log.info("handed back to the broker ({})", e.reason());
      } else if (event instanceof TaskEvent.Cancelled e) {
        withWorker(
            e.worker(), null, () -> log.info("cancelled; the delivery ended without a retry"));
      } else if (event instanceof TaskEvent.LeaseLost e) {
        log.debug("lease lost before {}; another delivery owns the task", e.operation());
      }
    }
  }

  private static void logFailure(TaskEvent.Failed e) {
    if (e.retryIn().isPresent()) {
      log.warn(
          "failed: {}: {}; retry in {} ms",
          e.errorType(),
          e.message(),
          e.retryIn().get().toMillis());
    } else {
      log.warn("failed: {}: {}; no attempts left", e.errorType(), e.message());
    }
  }

  private static void withWorker(String worker, Duration duration, Runnable line) {
    try (var w = Restoring.put("worker", worker)) {
      if (duration == null) {
        line.run();
        return;
      }
      try (var d = Restoring.put("duration_ms", Long.toString(duration.toMillis()))) {
        line.run();
      }
    }
  }

  /**
   * Puts an MDC key and, when closed, puts back what it held before. Events are emitted on worker
   * threads whose MDC carries the running task's keys (see TaskMdc): removing them here would strip
   * them from the lines the handler logs after its Started event.
   */
  private static final class Restoring implements AutoCloseable {
    private final String key;
    private final String previous;

    private Restoring(String key, String previous) {
      this.key = key;
      this.previous = previous;
    }

    static Restoring put(String key, String value) {
      Restoring restoring = new Restoring(key, MDC.get(key));
      MDC.put(key, value);
      return restoring;
    }

    @Override
    public void close() {
      if (previous == null) {
        MDC.remove(key);
      } else {
        MDC.put(key, previous);
      }
    }
  }
}
