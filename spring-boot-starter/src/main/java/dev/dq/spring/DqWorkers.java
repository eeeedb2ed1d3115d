package dev.dq.spring;

import dev.dq.core.port.Broker;
import dev.dq.core.worker.LoggingTaskEventListener;
import dev.dq.core.worker.NamedTaskHandler;
import dev.dq.core.worker.TaskEventListener;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The application's worker pool, tied to the context: it starts once every other bean is ready (the
 * last phase) and stops first when the context closes, before the broker is closed. Stopping takes
 * at most the grace plus {@link WorkerPool#STOP_BOUND}: running handlers get the grace to finish,
 * then are interrupted, and every task this process held but did not finish goes back to its queue
 * without spending an attempt.
 */
public final class DqWorkers implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(DqWorkers.class);

  private final WorkerPool pool;
  private final WorkerPoolConfig config;
  private final Duration grace;
  private final LazyListeners listeners;
  private final Set<String> types;
  private volatile boolean running;
  private volatile boolean stopped;

  DqWorkers(
      Broker broker,
      WorkerPoolConfig config,
      Map<String, NamedTaskHandler> handlers,
      LazyListeners listeners,
      Duration grace) {
    this.config = config;
    this.grace = Objects.requireNonNull(grace, "grace");
    this.listeners = listeners;
    this.types = Set.copyOf(handlers.keySet());
    WorkerPool.Builder builder =
        WorkerPool.builder(broker)
            .config(config)
            .listener(TaskEventListener.all(List.of(new LoggingTaskEventListener(), listeners)));
    handlers.values().forEach(builder::handler);
    this.pool = builder.build();
    if (handlers.isEmpty()) {
      log.warn(
          "dq worker pool has no handler beans: every task it takes is dead-lettered as unknown;"
              + " set dq.worker.enabled=false in a service that only publishes");
    }
  }

  @Override
  public void start() {
    if (stopped) {
      throw new IllegalStateException(
          "dq's worker pool cannot start again once stopped; close this context and start a new one");
    }
    listeners.resolve();
    pool.start();
    running = true;
    log.info("dq worker pool started: {} workers on queues {}", config.workers(), config.queues());
  }

  @Override
  public void stop() {
    stopPool();
  }

  @Override
  public void stop(Runnable callback) {
    try {
      stopPool();
    } finally {
      callback.run();
    }
  }

  private void stopPool() {
    if (!running) {
      return;
    }
    running = false;
    stopped = true;
    boolean clean = pool.stop(grace);
    log.info(
        "dq worker pool stopped {}",
        clean
            ? "cleanly"
            : "after its grace of " + grace + "; unfinished tasks went back to their queues");
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** A stopped pool cannot start again, so a context pause (Spring 7) leaves it running. */
  @Override
  public boolean isPauseable() {
    return false;
  }

  /** The last phase: started after, and stopped before, every other lifecycle bean. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }

  /**
   * The pool itself, for its counters (busy workers, held tasks).
   *
   * @return the pool
   */
  public WorkerPool pool() {
    return pool;
  }

  /**
   * The pool's settings, as built from {@code dq.*}.
   *
   * @return the settings
   */
  public WorkerPoolConfig config() {
    return config;
  }

  /**
   * The queues the pool serves.
   *
   * @return the queue names
   */
  public List<String> queues() {
    return config.queues();
  }

  /**
   * The task types the pool has handlers for.
   *
   * @return the types
   */
  public Set<String> types() {
    return types;
  }

  /**
   * The pool's worker slots.
   *
   * @return how many handlers may run at once
   */
  public int workers() {
    return config.workers();
  }
}
