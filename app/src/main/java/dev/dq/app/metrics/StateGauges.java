package dev.dq.app.metrics;

import dev.dq.core.ops.BoundedLabels;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.QueuePauses;
import dev.dq.core.worker.QueueSnapshot;
import dev.dq.core.worker.QueueSnapshot.Counts;
import dev.dq.core.worker.RateLimitedLog;
import dev.dq.core.worker.WorkerPool;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges read at scrape time: per queue ready, in flight, delayed and dead (from {@link
 * Broker#stats} and {@link DeadLetterQueue#size}) and paused (from {@link QueuePauses#pauseOf}),
 * broker reachability, and the pool's busy, idle and abandoned workers.
 *
 * <p>One scrape reads the broker once: the first gauge takes a {@link QueueSnapshot} that the
 * others reuse for a short while. When the broker cannot be reached the queue gauges are left out
 * of that scrape, {@code dq_broker_up} is 0, and the error is logged at most every few seconds.
 */
public final class StateGauges {
  private static final Logger log = LoggerFactory.getLogger(StateGauges.class);
  private static final Duration SNAPSHOT_TTL = Duration.ofMillis(500);

  private final Broker broker;
  private final DeadLetterQueue deadLetters;
  private final List<String> served;
  private final BoundedLabels queues;
  private final RateLimitedLog errors;
  private final QueueSnapshot snapshot;

  private StateGauges(
      Broker broker,
      DeadLetterQueue deadLetters,
      List<String> served,
      BoundedLabels queues,
      InstantSource clock) {
    this.broker = broker;
    this.deadLetters = deadLetters;
    this.served = List.copyOf(served);
    this.queues = queues;
    this.errors = new RateLimitedLog(log, clock, Duration.ofSeconds(5));
    this.snapshot =
        new QueueSnapshot(broker, deadLetters, this::labelledQueues, SNAPSHOT_TTL, clock);
  }

  /**
   * Registers the queue and broker gauges of {@code served} queues plus any other queue the broker
   * knows.
   */
  public static StateGauges register(
      PrometheusRegistry registry,
      Broker broker,
      DeadLetterQueue deadLetters,
      List<String> served,
      BoundedLabels queues,
      InstantSource clock) {
    StateGauges gauges = new StateGauges(broker, deadLetters, served, queues, clock);
    gauges.queueGauge(
        registry, "dq_queue_ready", "Tasks ready to be taken now.", c -> c.stats().ready());
    gauges.queueGauge(
        registry,
        "dq_queue_in_flight",
        "Tasks delivered and not yet settled.",
        c -> c.stats().inFlight());
    gauges.queueGauge(
        registry,
        "dq_queue_delayed",
        "Tasks waiting for a retry or a delay.",
        c -> c.stats().delayed());
    gauges.queueGauge(registry, "dq_queue_dead", "Tasks in the dead-letter queue.", Counts::dead);
    gauges.queueGauge(
        registry,
        "dq_queue_paused",
        "1 while the queue is paused (no task of it starts), else 0.",
        c -> c.paused() ? 1 : 0);
    GaugeWithCallback.builder()
        .name("dq_broker_up")
        .help("1 if the last read of the broker succeeded, else 0.")
        .callback(cb -> cb.call(gauges.counts().isEmpty() ? 0 : 1))
        .register(registry);
    return gauges;
  }

  /**
   * Registers {@code dq_workers_busy}, {@code dq_worker_slots_busy} (per queue), {@code
   * dq_workers_idle}, {@code dq_workers_abandoned} and the health of the pool's periodic work:
   * {@code dq_lease_renewals_failing}, {@code dq_lease_renewal_failures_total} and {@code
   * dq_reaper_failures_total}.
   */
  public static void registerPool(PrometheusRegistry registry, WorkerPool pool, int workers) {
    GaugeWithCallback.builder()
        .name("dq_workers_busy")
        .help("Worker slots running a handler.")
        .callback(cb -> cb.call(pool.busyWorkers()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("dq_worker_slots_busy")
        .help("Worker slots running a handler, per queue served (see --queue NAME=WEIGHT).")
        .labelNames("queue")
        .callback(cb -> pool.busyWorkersByQueue().forEach((queue, n) -> cb.call(n, queue)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("dq_workers_idle")
        .help("Worker slots waiting for a task.")
        .callback(cb -> cb.call(Math.max(0, workers - pool.busyWorkers())))
        .register(registry);
    GaugeWithCallback.builder()
        .name("dq_workers_abandoned")
        .help("Handlers that overran their timeout and have not returned yet.")
        .callback(cb -> cb.call(pool.abandonedHandlers()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("dq_lease_renewals_failing")
        .help(
            "1 while this pool's lease renewal is failing (held tasks may run again elsewhere), else 0.")
        .callback(cb -> cb.call(pool.renewalsFailing() ? 1 : 0))
        .register(registry);
    CounterWithCallback.builder()
        .name("dq_lease_renewal_failures")
        .help("Lease renewal runs that failed, in part or whole, since the pool started.")
        .callback(cb -> cb.call(pool.heartbeatFailures()))
        .register(registry);
    CounterWithCallback.builder()
        .name("dq_reaper_failures")
        .help("Runs of the expired-lease reaper that failed since the pool started.")
        .callback(cb -> cb.call(pool.reaperFailures()))
        .register(registry);
  }

  private void queueGauge(
      PrometheusRegistry registry, String name, String help, ToDoubleFunction<Counts> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames("queue")
        .callback(cb -> counts().forEach((queue, c) -> cb.call(value.applyAsDouble(c), queue)))
        .register(registry);
  }

  /**
   * Counts per queue label, at most {@link #SNAPSHOT_TTL} old; empty when the broker could not be
   * read.
   */
  Map<String, Counts> counts() {
    return snapshot.counts();
  }

  /** The served queues and those the broker knows, less those beyond the label cap. */
  private List<String> labelledQueues() {
    TreeSet<String> names = new TreeSet<>(served);
    names.addAll(broker.queues());
    List<String> labelled = new ArrayList<>();
    for (String queue : names) {
      // A queue beyond the label cap is left out: folding gauges of several queues into one would
      // mislead.
      if (queues.label(queue).equals(queue)) {
        labelled.add(queue);
      }
    }
    return labelled;
  }

  /**
   * For {@code /health}: what makes this worker unhealthy now (the broker does not answer, or the
   * pool's lease renewals are failing, so its tasks may run again elsewhere), or empty.
   */
  public static Supplier<Optional<String>> health(StateGauges gauges, WorkerPool pool) {
    return () -> {
      if (!gauges.brokerReachable()) {
        return Optional.of("broker unreachable");
      }
      if (pool.renewalsFailing()) {
        return Optional.of("lease renewals failing; held tasks may run again elsewhere");
      }
      return Optional.empty();
    };
  }

  /** Whether the broker answers now; for {@code /health}. */
  public boolean brokerReachable() {
    try {
      broker.stats(served.get(0));
      return true;
    } catch (RuntimeException e) {
      errors.warn("health check: broker unreachable", e);
      return false;
    }
  }
}
