package dev.dq.core.worker;

import static dev.dq.testing.TaskFixtures.aTask;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import dev.dq.testing.FakeBroker;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * One pool on an in-memory broker seen through a {@link HookedBroker}, with its events and its warnings recorded.
 * Tasks are enqueued straight into the broker, so a test can fill the queue before the pool starts.
 */
final class PoolHarness implements AutoCloseable {
  final RecordingListener events = new RecordingListener();
  final FakeBroker broker;
  final HookedBroker hooked;
  private final InstantSource clock;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger poolLogs = (Logger) LoggerFactory.getLogger("dev.dq.core.worker");
  WorkerPool pool;

  PoolHarness(InstantSource clock) {
    this.clock = clock;
    this.broker = new FakeBroker(clock);
    this.hooked = new HookedBroker(broker);
    logs.start();
    poolLogs.addAppender(logs);
  }

  /** Builds and starts the pool: 4 workers polling every 50 ms unless {@code config} says otherwise. */
  WorkerPool start(Consumer<WorkerPoolConfig.Builder> config, Consumer<WorkerPool.Builder> handlers) {
    var cfg = WorkerPoolConfig.builder().workers(4).pollWait(Duration.ofMillis(50));
    config.accept(cfg);
    var builder = WorkerPool.builder(hooked).config(cfg.build()).clock(clock).listener(events).random(new Random(7));
    handlers.accept(builder);
    pool = builder.build();
    pool.start();
    return pool;
  }

  void enqueue(String... ids) throws InterruptedException {
    for (String id : ids) {
      broker.enqueue(aTask(id).build(), Duration.ZERO);
    }
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
