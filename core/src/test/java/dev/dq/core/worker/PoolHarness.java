package dev.dq.core.worker;

import static dev.dq.testing.TaskFixtures.aTask;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.dq.core.port.Broker;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import dev.dq.testing.FakeBroker;
import dev.dq.testing.FakeClock;
import dev.dq.testing.ManualScheduler;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * One pool on a {@link FakeBroker} seen through a {@link HookedBroker}, with its events and its
 * warnings recorded. Tasks are enqueued straight into the broker, so a test can fill the queue
 * before the pool starts.
 *
 * <p>{@link #onFakeTime()}: the pool, the broker and the scheduler share one {@link FakeClock}, and
 * the pool's timeouts, heartbeat and reaper run only when the test calls {@code
 * scheduler.advance(..)}, on the test's thread. {@link #onRealTime()}: the system clock and the
 * pool's own scheduler threads, for what only real threads can show. Either way the workers are
 * real threads, and stop's grace and bound are real time, as in production.
 */
final class PoolHarness implements AutoCloseable {
  final RecordingListener events = new RecordingListener();

  /** The harness's fake clock; null on real time. */
  final FakeClock clock;

  /**
   * Drives the pool's timeouts, heartbeat and reaper; null on real time (the pool's own threads
   * do).
   */
  final ManualScheduler scheduler;

  final FakeBroker broker;
  final HookedBroker hooked;
  private final InstantSource time;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger poolLogs = (Logger) LoggerFactory.getLogger("dev.dq.core.worker");
  WorkerPool pool;

  private PoolHarness(InstantSource time, FakeClock clock, ManualScheduler scheduler) {
    this.time = time;
    this.clock = clock;
    this.scheduler = scheduler;
    this.broker = new FakeBroker(time);
    this.hooked = new HookedBroker(broker);
    logs.start();
    poolLogs.addAppender(logs);
  }

  static PoolHarness onFakeTime() {
    FakeClock clock = FakeClock.at("2024-01-01T00:00:00Z");
    return new PoolHarness(clock, clock, new ManualScheduler(clock));
  }

  static PoolHarness onRealTime() {
    return new PoolHarness(InstantSource.system(), null, null);
  }

  /**
   * Builds and starts the pool: 4 workers polling every 50 ms unless {@code config} says otherwise.
   */
  WorkerPool start(
      Consumer<WorkerPoolConfig.Builder> config, Consumer<WorkerPool.Builder> handlers) {
    return start(hooked, config, handlers);
  }

  /** Same, on {@code target} (a decorator of {@link #broker}) instead of {@link #hooked}. */
  WorkerPool start(
      Broker target,
      Consumer<WorkerPoolConfig.Builder> config,
      Consumer<WorkerPool.Builder> handlers) {
    var cfg = WorkerPoolConfig.builder().workers(4).pollWait(Duration.ofMillis(50));
    config.accept(cfg);
    var builder =
        WorkerPool.builder(target)
            .config(cfg.build())
            .clock(time)
            .listener(events)
            .random(new Random(7));
    if (scheduler != null) {
      builder.scheduler(scheduler);
    }
    handlers.accept(builder);
    pool = builder.build();
    pool.start();
    return pool;
  }

  void enqueue(String... ids) {
    for (String id : ids) {
      broker.enqueue(aTask(id).build(), Duration.ZERO);
    }
  }

  void enqueue(Task task) {
    broker.enqueue(task, Duration.ZERO);
  }

  QueueStats stats() {
    return broker.stats(Task.DEFAULT_QUEUE);
  }

  /** What the pool logged at WARN or above so far, formatted. */
  List<String> warnings() {
    List<ILoggingEvent> seen;
    synchronized (logs) { // AppenderBase appends while holding the appender's monitor
      seen = List.copyOf(logs.list);
    }
    return seen.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Override
  public void close() {
    try {
      if (pool != null) {
        pool.stop(Duration.ofSeconds(5));
      }
      broker.close();
    } finally {
      poolLogs.detachAppender(logs);
    }
  }
}
