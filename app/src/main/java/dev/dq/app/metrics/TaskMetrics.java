package dev.dq.app.metrics;

import dev.dq.core.lifecycle.Trimmed;
import dev.dq.core.ops.BoundedLabels;
import dev.dq.core.task.Task;
import dev.dq.core.worker.TaskEvent;
import dev.dq.core.worker.TaskEventListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Turns {@link TaskEvent}s into Prometheus counters and histograms labelled by {@code queue} and
 * {@code type}. Label values go through {@link BoundedLabels}; task ids and payloads never become
 * labels. Lock-free apart from the first sighting of a label value, so it is cheap on the worker
 * threads that call it.
 */
public final class TaskMetrics implements TaskEventListener {
  /** Seconds: from a 5 ms handler to a five-minute one. */
  static final double[] DURATION_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300
  };

  /**
   * Seconds: queue wait and end-to-end latency include backoff and backlog, so they reach further.
   */
  static final double[] LATENCY_BUCKETS = {0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600};

  private final BoundedLabels queues;
  private final BoundedLabels types;
  private final InstantSource clock;
  private final Counter enqueued;
  private final Counter started;
  private final Counter succeeded;
  private final Counter resultsStored;
  private final Counter failed;
  private final Counter retried;
  private final Counter deadLettered;
  private final Counter timedOut;
  private final Counter leaseLost;
  private final Counter leaseExpired;
  private final Counter released;
  private final Counter cancelled;
  private final Counter uniqueHits;
  private final Counter trimmed;
  private final Histogram handlerDuration;
  private final Histogram queueWait;
  private final Histogram latency;

  public TaskMetrics(
      PrometheusRegistry registry, BoundedLabels queues, BoundedLabels types, InstantSource clock) {
    this.queues = queues;
    this.types = types;
    this.clock = clock;
    enqueued = counter(registry, "dq_tasks_enqueued", "Tasks accepted by the broker.");
    started = counter(registry, "dq_tasks_started", "Handler attempts started.");
    succeeded = counter(registry, "dq_tasks_succeeded", "Handler attempts that succeeded.");
    resultsStored =
        Counter.builder()
            .name("dq_results_stored")
            .help("Successes whose handler returned a result, stored with the task's record.")
            .labelNames("queue")
            .register(registry);
    failed =
        counter(registry, "dq_tasks_failed", "Handler attempts that failed (timeouts included).");
    retried =
        counter(registry, "dq_tasks_retried", "Failed attempts for which a retry was scheduled.");
    deadLettered =
        counter(registry, "dq_tasks_dead_lettered", "Tasks moved to the dead-letter queue.");
    timedOut =
        counter(
            registry,
            "dq_tasks_timed_out",
            "Handler attempts interrupted for overrunning their timeout.");
    leaseLost =
        counter(
            registry,
            "dq_tasks_lease_lost",
            "Settles refused because the lease was lost (late acks).");
    leaseExpired =
        counter(
            registry,
            "dq_tasks_lease_expired",
            "Leases that expired while this pool held the task, before a renewal got through; it may run again.");
    released =
        counter(registry, "dq_tasks_released", "Tasks handed back without spending an attempt.");
    cancelled =
        counter(
            registry,
            "dq_tasks_cancelled",
            "Deliveries this pool ended as cancelled: claimed tasks that did not start, running handlers interrupted.");
    uniqueHits =
        Counter.builder()
            .name("dq_unique_hits")
            .help("Unique enqueues that found their key held, so enqueued nothing.")
            .labelNames("queue")
            .register(registry);
    trimmed =
        Counter.builder()
            .name("dq_retention_trimmed")
            .help("Ended tasks removed by retention: kind finished (succeeded, cancelled) or dead.")
            .labelNames("queue", "kind")
            .register(registry);
    handlerDuration =
        histogram(
            registry,
            "dq_task_handler_duration_seconds",
            "Time a handler ran, per attempt.",
            DURATION_BUCKETS);
    queueWait =
        histogram(
            registry,
            "dq_task_queue_wait_seconds",
            "From task creation to the start of an attempt.",
            LATENCY_BUCKETS);
    latency =
        Histogram.builder()
            .name("dq_task_latency_seconds")
            .help("End to end: from task creation to success or dead letter.")
            .labelNames("queue", "type", "outcome")
            .classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS)
            .register(registry);
  }

  @Override
  public void onTrimmed(String queueName, Trimmed t) {
    String queue = queues.label(queueName);
    trimmed.labelValues(queue, "finished").inc(t.finished());
    trimmed.labelValues(queue, "dead").inc(t.dead());
  }

  @Override
  public void on(TaskEvent event) {
    Task task = event.task();
    String queue = queues.label(task.queue());
    String type = types.label(task.type());
    if (event instanceof TaskEvent.Enqueued) {
      enqueued.labelValues(queue, type).inc();
    } else if (event instanceof TaskEvent.UniqueHit) {
      uniqueHits.labelValues(queue).inc();
    } else if (event instanceof TaskEvent.Started e) {
      started.labelValues(queue, type).inc();
      queueWait.labelValues(queue, type).observe(seconds(e.queueWait()));
    } else if (event instanceof TaskEvent.Succeeded e) {
      succeeded.labelValues(queue, type).inc();
      if (e.hasResult()) {
        resultsStored.labelValues(queue).inc();
      }
      handlerDuration.labelValues(queue, type).observe(seconds(e.duration()));
      latency.labelValues(queue, type, "succeeded").observe(sinceCreated(task));
    } else if (event instanceof TaskEvent.Failed e) {
      failed.labelValues(queue, type).inc();
      handlerDuration.labelValues(queue, type).observe(seconds(e.duration()));
      if (e.retryIn().isPresent()) {
        retried.labelValues(queue, type).inc();
      }
    } else if (event instanceof TaskEvent.TimedOut) {
      timedOut.labelValues(queue, type).inc();
    } else if (event instanceof TaskEvent.DeadLettered) {
      deadLettered.labelValues(queue, type).inc();
      latency.labelValues(queue, type, "dead").observe(sinceCreated(task));
    } else if (event instanceof TaskEvent.LeaseLost e) {
      (e.operation().equals("renew") ? leaseExpired : leaseLost).labelValues(queue, type).inc();
    } else if (event instanceof TaskEvent.Released) {
      released.labelValues(queue, type).inc();
    } else if (event instanceof TaskEvent.Cancelled) {
      cancelled.labelValues(queue, type).inc();
    }
  }

  private double sinceCreated(Task task) {
    return seconds(Duration.between(task.createdAt(), clock.instant()));
  }

  /**
   * Negative spans (producer and worker clocks disagree) count as zero rather than corrupting the
   * histogram.
   */
  private static double seconds(Duration d) {
    return d.isNegative() ? 0 : d.toNanos() / 1e9;
  }

  private static Counter counter(PrometheusRegistry registry, String name, String help) {
    return Counter.builder().name(name).help(help).labelNames("queue", "type").register(registry);
  }

  private static Histogram histogram(
      PrometheusRegistry registry, String name, String help, double[] buckets) {
    return Histogram.builder()
        .name(name)
        .help(help)
        .labelNames("queue", "type")
        .classicOnly()
        .classicUpperBounds(buckets)
        .register(registry);
  }
}
