package dev.dq.micrometer;

import dev.dq.core.lifecycle.Trimmed;
import dev.dq.core.ops.BoundedLabels;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.task.Names;
import dev.dq.core.task.Task;
import dev.dq.core.worker.QueueSnapshot;
import dev.dq.core.worker.TaskEvent;
import dev.dq.core.worker.TaskEventListener;
import dev.dq.core.worker.WorkerPool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * dq's metrics for Micrometer, under the names, types and labels of {@code dq run}'s Prometheus
 * endpoint, so that a service's {@code /actuator/prometheus} shows the same families (see {@link
 * #PROMETHEUS_FAMILIES}): task counters and histograms labelled {@code queue} and {@code type}, fed
 * as a {@link TaskEventListener} of the pool and the producer; per-queue gauges ({@code
 * dq_queue_ready}, ...) read through a snapshot taken at most once per {@link Builder#snapshotTtl},
 * which lists the broker's queues again, as {@code dq run} does, and gauges a new one from then on
 * ({@code dq_broker_up} is 1 when the read succeeded, queues or none); the pool's gauges when a
 * pool is given.
 *
 * <p>Register it once as the {@link TaskEventListener} of the {@link WorkerPool}, the {@link
 * dev.dq.core.worker.Producer} or the {@link dev.dq.core.client.DqClient} (several at once through
 * {@link TaskEventListener#all}), and bind it to the registry:
 *
 * <pre>{@code
 * DqMetrics metrics = DqMetrics.builder().queues(List.of("default")).broker(broker, dlq).build();
 * metrics.bindTo(meterRegistry);
 * WorkerPool pool = WorkerPool.builder(broker).listener(metrics)...build();
 * }</pre>
 *
 * <p>Labels are bounded as {@code dq run}'s: served queues and known types pass, then the first
 * {@link Builder#labelCap} unknown values, then {@value BoundedLabels#OTHER}. Micrometer's
 * Prometheus registry names a counter {@code dq.tasks.enqueued} {@code dq_tasks_enqueued_total} and
 * a timer {@code dq.task.handler.duration} {@code dq_task_handler_duration_seconds}; it adds a
 * {@code _max} gauge to every timer, which {@code dq run} does not have. Thread-safe.
 */
public final class DqMetrics implements MeterBinder, TaskEventListener {
  /**
   * The Prometheus metric families (names without {@code _total}, {@code _bucket}, ...) that this
   * binder exposes with a broker and a pool, the same as {@code dq run} exposes (Micrometer's
   * {@code _max} gauges aside); the app's tests check its own registry against this list.
   */
  public static final List<String> PROMETHEUS_FAMILIES =
      List.of(
          "dq_broker_up",
          "dq_lease_renewal_failures",
          "dq_lease_renewals_failing",
          "dq_queue_dead",
          "dq_queue_delayed",
          "dq_queue_in_flight",
          "dq_queue_paused",
          "dq_queue_ready",
          "dq_reaper_failures",
          "dq_results_stored",
          "dq_retention_trimmed",
          "dq_task_handler_duration_seconds",
          "dq_task_latency_seconds",
          "dq_task_queue_wait_seconds",
          "dq_tasks_cancelled",
          "dq_tasks_dead_lettered",
          "dq_tasks_enqueued",
          "dq_tasks_failed",
          "dq_tasks_lease_expired",
          "dq_tasks_lease_lost",
          "dq_tasks_released",
          "dq_tasks_retried",
          "dq_tasks_started",
          "dq_tasks_succeeded",
          "dq_tasks_timed_out",
          "dq_unique_hits",
          "dq_worker_slots_busy",
          "dq_workers_abandoned",
          "dq_workers_busy",
          "dq_workers_idle");

  /** Seconds: from a 5 ms handler to a five-minute one (as {@code dq run}). */
  static final double[] DURATION_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300
  };

  /** Seconds: queue wait and end-to-end latency include backoff and backlog (as {@code dq run}). */
  static final double[] LATENCY_BUCKETS = {0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600};

  private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
  private final Set<MeterRegistry> bound = ConcurrentHashMap.newKeySet();
  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
  private final Map<List<String>, Timer> timers = new ConcurrentHashMap<>();
  private final BoundedLabels queues;
  private final BoundedLabels types;
  private final InstantSource clock;
  // Held here too: Micrometer keeps only weak references to what a function counter reads.
  private final WorkerPool pool;
  private final Broker broker;
  private final DeadLetterQueue deadLetters;
  private final Set<String> served;
  private final Duration snapshotTtl;
  private final int workers;
  private final Set<String> gauged = ConcurrentHashMap.newKeySet();
  private volatile QueueSnapshot snapshot;

  private DqMetrics(Builder b) {
    this.queues = new BoundedLabels(Set.copyOf(b.queues), b.labelCap);
    this.types = new BoundedLabels(Set.copyOf(b.types), b.labelCap);
    this.clock = b.clock;
    this.pool = b.pool;
    this.broker = b.broker;
    this.deadLetters = b.deadLetters;
    this.served = Set.copyOf(b.queues);
    this.snapshotTtl = b.snapshotTtl;
    this.workers = b.workers;
  }

  /**
   * A builder with no queues, no types, no broker and no pool.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Adds {@code registry} to the registries this binder reports to; binding the same registry again
   * does nothing.
   *
   * @param registry the registry
   */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    if (!bound.add(registry)) {
      return;
    }
    meters.add(registry);
    if (bound.size() == 1) {
      // The gauges once, after the first registry, so that the composite has a child to give them
      // to (a registry added later gets them too).
      if (broker != null) {
        registerQueueGauges();
      }
      if (pool != null) {
        registerPoolGauges();
      }
    }
  }

  @Override
  public void onTrimmed(String queueName, Trimmed t) {
    String queue = queues.label(queueName);
    counter("dq.retention.trimmed", "queue", queue, "kind", "finished").increment(t.finished());
    counter("dq.retention.trimmed", "queue", queue, "kind", "dead").increment(t.dead());
  }

  @Override
  public void on(TaskEvent event) {
    Task task = event.task();
    String queue = queues.label(task.queue());
    String type = types.label(task.type());
    if (event instanceof TaskEvent.Enqueued) {
      count("dq.tasks.enqueued", queue, type);
    } else if (event instanceof TaskEvent.UniqueHit) {
      counter("dq.unique.hits", "queue", queue).increment();
    } else if (event instanceof TaskEvent.Started e) {
      count("dq.tasks.started", queue, type);
      timer("dq.task.queue.wait", LATENCY_BUCKETS, "queue", queue, "type", type)
          .record(positive(e.queueWait()));
    } else if (event instanceof TaskEvent.Succeeded e) {
      count("dq.tasks.succeeded", queue, type);
      if (e.hasResult()) {
        counter("dq.results.stored", "queue", queue).increment();
      }
      handlerDuration(queue, type).record(positive(e.duration()));
      latency(queue, type, "succeeded", task);
    } else if (event instanceof TaskEvent.Failed e) {
      count("dq.tasks.failed", queue, type);
      handlerDuration(queue, type).record(positive(e.duration()));
      if (e.retryIn().isPresent()) {
        count("dq.tasks.retried", queue, type);
      }
    } else if (event instanceof TaskEvent.TimedOut) {
      count("dq.tasks.timed.out", queue, type);
    } else if (event instanceof TaskEvent.DeadLettered) {
      count("dq.tasks.dead.lettered", queue, type);
      latency(queue, type, "dead", task);
    } else if (event instanceof TaskEvent.LeaseLost e) {
      count(
          e.operation().equals("renew") ? "dq.tasks.lease.expired" : "dq.tasks.lease.lost",
          queue,
          type);
    } else if (event instanceof TaskEvent.Released) {
      count("dq.tasks.released", queue, type);
    } else if (event instanceof TaskEvent.Cancelled) {
      count("dq.tasks.cancelled", queue, type);
    }
  }

  private void count(String name, String queue, String type) {
    counter(name, "queue", queue, "type", type).increment();
  }

  private Counter counter(String name, String... tags) {
    List<String> key = key(name, tags);
    return counters.computeIfAbsent(
        key, k -> Counter.builder(name).description(HELP.get(name)).tags(tags).register(meters));
  }

  private Timer handlerDuration(String queue, String type) {
    return timer("dq.task.handler.duration", DURATION_BUCKETS, "queue", queue, "type", type);
  }

  private void latency(String queue, String type, String outcome, Task task) {
    timer("dq.task.latency", LATENCY_BUCKETS, "queue", queue, "type", type, "outcome", outcome)
        .record(positive(Duration.between(task.createdAt(), clock.instant())));
  }

  private Timer timer(String name, double[] bucketSeconds, String... tags) {
    return timers.computeIfAbsent(
        key(name, tags),
        k -> {
          Duration[] slos = new Duration[bucketSeconds.length];
          for (int i = 0; i < slos.length; i++) {
            slos[i] = Duration.ofNanos(Math.round(bucketSeconds[i] * 1e9));
          }
          return Timer.builder(name)
              .description(HELP.get(name))
              .tags(tags)
              .serviceLevelObjectives(slos)
              .register(meters);
        });
  }

  private static List<String> key(String name, String... tags) {
    List<String> key = new ArrayList<>(tags.length + 1);
    key.add(name);
    key.addAll(List.of(tags));
    return key;
  }

  /**
   * Negative spans (producer and worker clocks disagree) count as zero rather than corrupting the
   * histogram.
   */
  private static Duration positive(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  private void registerQueueGauges() {
    snapshot = new QueueSnapshot(broker, deadLetters, this::listQueues, snapshotTtl, clock);
    try {
      listQueues(); // the gauges of the queues there are now
    } catch (RuntimeException e) {
      // Unreachable now: the served queues get their gauges below, the others at a later read.
    }
    for (String queue : served) {
      gaugeOnce(queue);
    }
    Gauge.builder("dq.broker.up", snapshot, s -> s.reachable() ? 1 : 0)
        .description(HELP.get("dq.broker.up"))
        .strongReference(true)
        .register(meters);
  }

  /**
   * The queues to read, listed again at each snapshot as {@code dq run} does: a queue that appears
   * gets its gauges then. A queue beyond the label cap is left out: folding several queues into one
   * would mislead.
   */
  private List<String> listQueues() {
    Set<String> names = new TreeSet<>(served);
    names.addAll(broker.queues()); // unreachable: the snapshot is empty, dq.broker.up 0
    List<String> labelled = new ArrayList<>();
    for (String queue : names) {
      if (queues.label(queue).equals(queue)) {
        labelled.add(queue);
        gaugeOnce(queue);
      }
    }
    return labelled;
  }

  private void gaugeOnce(String queue) {
    if (!queues.label(queue).equals(queue) || !gauged.add(queue)) {
      return;
    }
    queueGauge(snapshot, queue, "dq.queue.ready", c -> c.stats().ready());
    queueGauge(snapshot, queue, "dq.queue.in.flight", c -> c.stats().inFlight());
    queueGauge(snapshot, queue, "dq.queue.delayed", c -> c.stats().delayed());
    queueGauge(snapshot, queue, "dq.queue.dead", QueueSnapshot.Counts::dead);
    queueGauge(snapshot, queue, "dq.queue.paused", c -> c.paused() ? 1 : 0);
  }

  private void queueGauge(
      QueueSnapshot snapshot,
      String queue,
      String name,
      ToDoubleFunction<QueueSnapshot.Counts> value) {
    Gauge.builder(
            name,
            snapshot,
            s -> {
              QueueSnapshot.Counts c = s.counts().get(queue);
              // NaN is Micrometer's "no value": the broker could not be read.
              return c == null ? Double.NaN : value.applyAsDouble(c);
            })
        .description(HELP.get(name))
        .tags("queue", queue)
        .strongReference(true)
        .register(meters);
  }

  private void registerPoolGauges() {
    Gauge.builder("dq.workers.busy", pool, WorkerPool::busyWorkers)
        .description(HELP.get("dq.workers.busy"))
        .strongReference(true)
        .register(meters);
    for (String queue : served) {
      Gauge.builder(
              "dq.worker.slots.busy", pool, p -> p.busyWorkersByQueue().getOrDefault(queue, 0))
          .description(HELP.get("dq.worker.slots.busy"))
          .tags(Tags.of("queue", queue))
          .strongReference(true)
          .register(meters);
    }
    Gauge.builder("dq.workers.idle", pool, p -> Math.max(0, workers - p.busyWorkers()))
        .description(HELP.get("dq.workers.idle"))
        .strongReference(true)
        .register(meters);
    Gauge.builder("dq.workers.abandoned", pool, WorkerPool::abandonedHandlers)
        .description(HELP.get("dq.workers.abandoned"))
        .strongReference(true)
        .register(meters);
    Gauge.builder("dq.lease.renewals.failing", pool, p -> p.renewalsFailing() ? 1 : 0)
        .description(HELP.get("dq.lease.renewals.failing"))
        .strongReference(true)
        .register(meters);
    FunctionCounter.builder("dq.lease.renewal.failures", pool, WorkerPool::heartbeatFailures)
        .description(HELP.get("dq.lease.renewal.failures"))
        .register(meters);
    FunctionCounter.builder("dq.reaper.failures", pool, WorkerPool::reaperFailures)
        .description(HELP.get("dq.reaper.failures"))
        .register(meters);
  }

  private static final Map<String, String> HELP =
      Map.ofEntries(
          Map.entry("dq.tasks.enqueued", "Tasks accepted by the broker."),
          Map.entry("dq.tasks.started", "Handler attempts started."),
          Map.entry("dq.tasks.succeeded", "Handler attempts that succeeded."),
          Map.entry(
              "dq.results.stored",
              "Successes whose handler returned a result, stored with the task's record."),
          Map.entry("dq.tasks.failed", "Handler attempts that failed (timeouts included)."),
          Map.entry("dq.tasks.retried", "Failed attempts for which a retry was scheduled."),
          Map.entry("dq.tasks.dead.lettered", "Tasks moved to the dead-letter queue."),
          Map.entry(
              "dq.tasks.timed.out", "Handler attempts interrupted for overrunning their timeout."),
          Map.entry("dq.tasks.lease.lost", "Settles refused because the lease was lost."),
          Map.entry(
              "dq.tasks.lease.expired",
              "Leases that expired while this pool held the task; it may run again."),
          Map.entry("dq.tasks.released", "Tasks handed back without spending an attempt."),
          Map.entry("dq.tasks.cancelled", "Deliveries this pool ended as cancelled."),
          Map.entry(
              "dq.unique.hits", "Unique enqueues that found their key held, so enqueued nothing."),
          Map.entry(
              "dq.retention.trimmed", "Ended tasks removed by retention: kind finished or dead."),
          Map.entry("dq.task.handler.duration", "Time a handler ran, per attempt."),
          Map.entry("dq.task.queue.wait", "From task creation to the start of an attempt."),
          Map.entry("dq.task.latency", "End to end: from task creation to success or dead letter."),
          Map.entry("dq.queue.ready", "Tasks ready to be taken now."),
          Map.entry("dq.queue.in.flight", "Tasks delivered and not yet settled."),
          Map.entry("dq.queue.delayed", "Tasks waiting for a retry or a delay."),
          Map.entry("dq.queue.dead", "Tasks in the dead-letter queue."),
          Map.entry("dq.queue.paused", "1 while the queue is paused, else 0."),
          Map.entry("dq.broker.up", "1 if the last read of the broker succeeded, else 0."),
          Map.entry("dq.workers.busy", "Worker slots running a handler."),
          Map.entry("dq.worker.slots.busy", "Worker slots running a handler, per queue served."),
          Map.entry("dq.workers.idle", "Worker slots waiting for a task."),
          Map.entry(
              "dq.workers.abandoned",
              "Handlers that overran their timeout and have not returned yet."),
          Map.entry(
              "dq.lease.renewals.failing", "1 while this pool's lease renewal is failing, else 0."),
          Map.entry(
              "dq.lease.renewal.failures",
              "Lease renewal runs that failed since the pool started."),
          Map.entry(
              "dq.reaper.failures",
              "Runs of the expired-lease reaper that failed since the start."));

  /** Builds {@link DqMetrics}; each setter checks its value. */
  public static final class Builder {
    private final Set<String> queues = new LinkedHashSet<>();
    private final Set<String> types = new LinkedHashSet<>();
    private int labelCap = 100;
    private InstantSource clock = InstantSource.system();
    private Duration snapshotTtl = Duration.ofMillis(500);
    private Broker broker;
    private DeadLetterQueue deadLetters;
    private WorkerPool pool;
    private int workers;

    private Builder() {}

    /**
     * The queues served: labelled as they are, and given queue gauges (with any other queue the
     * broker lists: one that appears later gets its gauges at the next snapshot, up to the label
     * cap).
     *
     * @param queues queue names
     * @return this builder
     */
    public Builder queues(List<String> queues) {
      for (String q : queues) {
        this.queues.add(Names.check("queue", q));
      }
      return this;
    }

    /**
     * The task types handled here: labelled as they are.
     *
     * @param types task types
     * @return this builder
     */
    public Builder types(Set<String> types) {
      for (String t : types) {
        this.types.add(Names.check("task type", t));
      }
      return this;
    }

    /**
     * How many unknown queue names and task types each get a label of their own (default 100).
     *
     * @param cap at least 0
     * @return this builder
     * @throws IllegalArgumentException {@code cap} is negative
     */
    public Builder labelCap(int cap) {
      if (cap < 0) {
        throw new IllegalArgumentException("labelCap must be >= 0: " + cap);
      }
      this.labelCap = cap;
      return this;
    }

    /**
     * The clock for end-to-end latency and the snapshot's age (default the system clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long the queue gauges reuse one read of the broker (default 500 ms).
     *
     * @param ttl at least 1 ms
     * @return this builder
     * @throws IllegalArgumentException {@code ttl} is below 1 ms
     */
    public Builder snapshotTtl(Duration ttl) {
      if (ttl.toMillis() < 1) {
        throw new IllegalArgumentException("snapshotTtl must be >= 1ms: " + ttl);
      }
      this.snapshotTtl = ttl;
      return this;
    }

    /**
     * The broker whose queues the gauges show, and its dead-letter queue.
     *
     * @param broker the broker
     * @param deadLetters its dead-letter queue
     * @return this builder
     */
    public Builder broker(Broker broker, DeadLetterQueue deadLetters) {
      this.broker = Objects.requireNonNull(broker, "broker");
      this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
      return this;
    }

    /**
     * The pool whose worker gauges to show.
     *
     * @param pool the pool
     * @param workers its worker slots ({@code WorkerPoolConfig#workers})
     * @return this builder
     * @throws IllegalArgumentException {@code workers} is below 1
     */
    public Builder pool(WorkerPool pool, int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be >= 1: " + workers);
      }
      this.pool = Objects.requireNonNull(pool, "pool");
      this.workers = workers;
      return this;
    }

    /**
     * Builds the binder; nothing is reported until {@link DqMetrics#bindTo} is called.
     *
     * @return the binder
     */
    public DqMetrics build() {
      return new DqMetrics(this);
    }
  }
}
