package dev.dq.app.bench;

import dev.dq.app.bench.BenchSettings.Mode;
import dev.dq.core.port.Broker;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Measures a broker with no-op handlers: batch enqueue rate, processing rate of a pre-filled queue,
 * and latency from enqueue to handler start with one task in flight at a time. Every mode runs on a
 * queue of its own that must be empty at the start, and the process mode checks that every task ran
 * exactly once.
 */
final class BenchRunner {
  private static final String TYPE = "bench";
  private static final Duration PATIENCE = Duration.ofMinutes(10);
  private static final int LATENCY_WARMUP = 200;

  private final String backend;
  private final IntFunction<Broker> brokers;
  private final ToLongFunction<Broker> storeBytes;
  private final BiConsumer<Broker, String> dropQueue;
  private final Supplier<Map<String, String>> serverStats;
  private final BenchSettings settings;
  private final InstantSource clock = InstantSource.system();
  private final Payload payload;
  private final String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);

  /**
   * @param brokers opens a broker whose queues hold at least the given number of tasks
   * @param storeBytes bytes the broker's store uses now, or -1 if it cannot tell
   * @param dropQueue removes what an emptied bench queue leaves in a shared store (its keys, its
   *     name)
   * @param serverStats the INFO fields of the broker's server now (see {@link ServerCounters}), or
   *     an empty map for a broker without a server
   */
  public BenchRunner(
      String backend,
      IntFunction<Broker> brokers,
      ToLongFunction<Broker> storeBytes,
      BiConsumer<Broker, String> dropQueue,
      Supplier<Map<String, String>> serverStats,
      BenchSettings settings) {
    this.backend = backend;
    this.brokers = brokers;
    this.storeBytes = storeBytes;
    this.dropQueue = dropQueue;
    this.serverStats = serverStats;
    this.settings = settings;
    this.payload = Payload.of(new byte[settings.payloadBytes()]);
  }

  public List<BenchResult> run() throws InterruptedException {
    List<BenchResult> results = new ArrayList<>();
    try (Broker broker = brokers.apply(Math.max(settings.tasks(), settings.batch()))) {
      for (Mode mode : Mode.values()) {
        if (!settings.modes().contains(mode)) {
          continue;
        }
        String queue = "bench-" + runId + "-" + mode.name().toLowerCase(java.util.Locale.ROOT);
        requireEmpty(broker, queue);
        results.add(
            switch (mode) {
              case ENQUEUE -> enqueue(broker, queue);
              case PROCESS -> process(broker, queue);
              case LATENCY -> latency(broker, queue);
            });
        requireEmpty(broker, queue);
        dropQueue.accept(broker, queue);
      }
    }
    return ServerCounters.withWholeLife(results);
  }

  /** The server's counters now; empty for a broker without a server. */
  private Optional<ServerCounters> serverCounters() {
    return ServerCounters.of(serverStats.get());
  }

  /** Adds what the server spent since {@code before} per task, if there is a server. */
  private void putServerNotes(
      Map<String, Object> notes, Optional<ServerCounters> before, long tasks) {
    before.ifPresent(
        b -> serverCounters().ifPresent(after -> notes.putAll(after.notesSince(b, tasks))));
  }

  /**
   * The same number of no-op tasks through a {@link ThreadPoolExecutor} with as many threads: the
   * in-JVM ceiling.
   */
  public BenchResult threadPoolBaseline() throws InterruptedException {
    int n = settings.tasks();
    var executor =
        new ThreadPoolExecutor(
            settings.workers(),
            settings.workers(),
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>());
    executor.prestartAllCoreThreads();
    try {
      var done = new CountDownLatch(n);
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        executor.execute(done::countDown);
      }
      done.await();
      return new BenchResult(
          "jdk", "ThreadPoolExecutor", n, seconds(start), Optional.empty(), Map.of());
    } finally {
      executor.shutdownNow();
    }
  }

  private BenchResult enqueue(Broker broker, String queue) throws InterruptedException {
    List<Task> tasks = tasks(queue, settings.tasks());
    long before = storeBytes.applyAsLong(broker);
    Optional<ServerCounters> server = serverCounters();
    long start = System.nanoTime();
    fill(broker, tasks);
    double seconds = seconds(start);
    Map<String, Object> notes = new LinkedHashMap<>();
    putServerNotes(notes, server, tasks.size());
    long after = storeBytes.applyAsLong(broker);
    if (before >= 0 && after >= 0) {
      notes.put("store_bytes_per_task", (after - before) / tasks.size());
    }
    drain(broker, queue, tasks.size());
    return new BenchResult(backend, "enqueue", tasks.size(), seconds, Optional.empty(), notes);
  }

  private BenchResult process(Broker broker, String queue) throws InterruptedException {
    int n = settings.tasks();
    fill(broker, tasks(queue, n));
    var runs = new AtomicIntegerArray(n);
    var done = new CountDownLatch(n);
    long heapBefore = usedHeapAfterGc();
    WorkerPool pool =
        pool(
            broker,
            queue,
            settings.prefetch(),
            task -> {
              runs.incrementAndGet(index(task));
              done.countDown();
            });
    Optional<ServerCounters> server = serverCounters();
    long start = System.nanoTime();
    pool.start();
    try {
      if (!done.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new BenchFailedException(
            "process: " + done.getCount() + " of " + n + " tasks never ran");
      }
    } finally {
      pool.stop(Duration.ofSeconds(10));
    }
    double seconds = seconds(start);
    Map<String, Object> notes = new LinkedHashMap<>();
    putServerNotes(notes, server, n);
    for (int i = 0; i < n; i++) {
      if (runs.get(i) != 1) {
        throw new BenchFailedException(
            "process: task " + i + " ran " + runs.get(i) + " times, expected once");
      }
    }
    requireEmpty(broker, queue);
    notes.put("workers", settings.workers());
    notes.put("prefetch", settings.prefetch());
    notes.put("heap_before_mb", heapBefore / (1 << 20));
    notes.put("heap_after_mb", usedHeapAfterGc() / (1 << 20));
    return new BenchResult(backend, "process", n, seconds, Optional.empty(), notes);
  }

  /**
   * Sends tasks one at a time and records enqueue-to-start. The first {@link #LATENCY_WARMUP} (at
   * most) are not recorded: they measure class loading and JIT, not the queue.
   */
  private BenchResult latency(Broker broker, String queue) throws InterruptedException {
    int n = settings.latencySamples();
    int warmup = Math.min(LATENCY_WARMUP, n);
    int total = warmup + n;
    var enqueuedAt =
        new java.util.concurrent.atomic.AtomicLongArray(total); // read on the worker's thread
    long[] latencies = new long[total];
    var started = new Semaphore(0);
    WorkerPool pool =
        pool(
            broker,
            queue,
            1,
            task -> {
              int i = index(task);
              latencies[i] = System.nanoTime() - enqueuedAt.get(i);
              started.release();
            });
    pool.start();
    long start = 0;
    Optional<ServerCounters> server = Optional.empty();
    Map<String, Object> notes = new LinkedHashMap<>();
    try {
      List<Task> tasks = tasks(queue, total);
      for (int i = 0; i < total; i++) {
        if (i == warmup) {
          server = serverCounters();
          start = System.nanoTime();
        }
        enqueuedAt.set(i, System.nanoTime());
        broker.enqueue(tasks.get(i), Duration.ofSeconds(30));
        if (!started.tryAcquire(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new BenchFailedException("latency: task " + i + " never started");
        }
      }
      putServerNotes(notes, server, n);
    } finally {
      pool.stop(Duration.ofSeconds(10));
    }
    double seconds = seconds(start);
    long[] measured = java.util.Arrays.copyOfRange(latencies, warmup, total);
    notes.put("workers", settings.workers());
    notes.put("warmup", warmup);
    return new BenchResult(
        backend, "latency", n, seconds, Optional.of(Latencies.of(measured)), notes);
  }

  private WorkerPool pool(
      Broker broker, String queue, int prefetch, dev.dq.core.worker.TaskHandler handler) {
    WorkerPoolConfig config =
        WorkerPoolConfig.builder()
            .workers(settings.workers())
            .queue(queue)
            .prefetch(prefetch)
            .ackBatch(prefetch)
            .workerName("dq-bench")
            .build();
    return WorkerPool.builder(broker).config(config).handler(TYPE, handler).clock(clock).build();
  }

  private List<Task> tasks(String queue, int n) {
    List<Task> tasks = new ArrayList<>(n);
    var now = clock.instant();
    for (int i = 0; i < n; i++) {
      tasks.add(
          Task.builder(TYPE)
              .id(runId + "-" + i)
              .queue(queue)
              .payload(payload)
              .createdAt(now)
              .build());
    }
    return tasks;
  }

  private void fill(Broker broker, List<Task> tasks) throws InterruptedException {
    for (int from = 0; from < tasks.size(); from += settings.batch()) {
      broker.enqueueAll(
          tasks.subList(from, Math.min(tasks.size(), from + settings.batch())),
          Duration.ofSeconds(30));
    }
  }

  /** Takes and acks {@code n} tasks so the enqueue mode leaves nothing behind. */
  private void drain(Broker broker, String queue, int n) throws InterruptedException {
    int left = n;
    while (left > 0) {
      var leases =
          broker.dequeueBatch(
              queue, Math.min(left, 1000), Duration.ofMinutes(1), Duration.ofSeconds(5));
      if (leases.isEmpty()) {
        throw new BenchFailedException(
            "enqueue: " + left + " of " + n + " tasks were not in the queue");
      }
      broker.ackAll(leases);
      left -= leases.size();
    }
    requireEmpty(broker, queue);
  }

  private static void requireEmpty(Broker broker, String queue) {
    QueueStats stats = broker.stats(queue);
    if (stats.ready() + stats.inFlight() + stats.delayed() != 0) {
      throw new BenchFailedException("queue " + queue + " is not empty: " + stats);
    }
  }

  private static int index(Task task) {
    String id = task.id().value();
    return Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static long usedHeapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
