package dev.dq.app.run;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.CommandFailedException;
import dev.dq.app.dashboard.DashboardSettings;
import dev.dq.app.lifecycle.Lifecycle;
import dev.dq.app.metrics.LimitMetrics;
import dev.dq.app.metrics.MetricsServer;
import dev.dq.app.metrics.StateGauges;
import dev.dq.core.ops.BoundedLabels;
import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.worker.TaskHandler;
import dev.dq.core.worker.WorkerPool;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dq run}: checks that the broker answers, starts the metrics server and the pool, waits for
 * SIGTERM or SIGINT, then stops the pool within its grace, the server and the broker, and exits 0.
 */
final class WorkerProcess {
  private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);

  /** Beyond the pool's grace: time for the server and the broker to close. */
  private static final Duration HOOK_SLACK = Duration.ofSeconds(5);

  private static final Duration STARTUP_RETRY = Duration.ofMillis(500);

  private static final Duration IDLE_WAIT = Duration.ofDays(1);

  private WorkerProcess() {}

  static int run(
      WorkerSession session,
      AppSettings app,
      RunSettings settings,
      Map<String, TaskHandler> handlers) {
    return run(session, app, settings, handlers, true, Optional.empty());
  }

  /**
   * As above; {@code scheduler} false is {@code --no-scheduler}: no cron scheduler runs here; a
   * {@code dashboard} is served on the worker's broker connection, started after the pool and
   * stopped before it (so before the pool's grace ends).
   */
  static int run(
      WorkerSession session,
      AppSettings app,
      RunSettings settings,
      Map<String, TaskHandler> handlers,
      boolean scheduler,
      Optional<DashboardSettings> dashboard) {
    Broker broker = session.broker();
    DeadLetterQueue deadLetters = session.deadLetters();
    WorkerPool pool = session.pool();
    PrometheusRegistry registry = session.registry();
    List<String> queues = settings.pool().queues();
    StateGauges gauges =
        StateGauges.register(
            registry,
            broker,
            deadLetters,
            queues,
            new BoundedLabels(Set.copyOf(queues), RunSettings.LABEL_CAP),
            session.clock());
    StateGauges.registerPool(registry, pool, settings.pool().workers());
    LimitMetrics.register(
        registry, broker, new BoundedLabels(Set.copyOf(queues), RunSettings.LABEL_CAP));
    JvmMetrics.builder().register(registry);

    AtomicReference<MetricsServer> server = new AtomicReference<>();
    Duration grace = settings.pool().grace();
    List<Lifecycle.Service> services = new ArrayList<>();
    AtomicReference<Lifecycle> lifecycle = new AtomicReference<>();
    services.add(
        new Lifecycle.Service(
            "broker",
            () -> checkReachable(broker, queues, lifecycle.get(), settings.startupWait()),
            broker::close));
    if (settings.metrics().enabled()) {
      services.add(
          new Lifecycle.Service(
              "metrics server",
              () ->
                  server.set(
                      startServer(settings.metrics(), registry, StateGauges.health(gauges, pool))),
              () -> server.get().close()));
    }
    services.add(new Lifecycle.Service("worker pool", pool::start, () -> stopPool(pool, grace)));
    if (scheduler) {
      CronService.of(broker, queues, registry).ifPresent(services::add);
    }
    dashboard.ifPresent(
        d -> services.add(d.service(broker, deadLetters, session.clock(), "dashboard")));

    services.add(
        new Lifecycle.Service(
            "announcement",
            () ->
                log.info(
                    "serving task types {} on queues {} with {} workers; broker {}",
                    handlers.keySet(),
                    queues,
                    settings.pool().workers(),
                    app.broker()),
            () -> {}));
    lifecycle.set(new Lifecycle(services, grace.plus(HOOK_SLACK)));
    lifecycle.get().runUntilStopped(IDLE_WAIT, () -> {});
    return 0;
  }

  /**
   * Waits at start-up, up to {@code wait} ({@code --startup-wait}), for a broker that is briefly
   * unavailable (Redis restarting or loading its AOF, a container started before Redis), then fails
   * with one line. Other errors (a wrong password, a refused command) fail at once, and so does a
   * stop request (SIGTERM) meanwhile.
   */
  private static void checkReachable(
      Broker broker, List<String> queues, Lifecycle lifecycle, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    boolean warned = false;
    while (true) {
      try {
        broker.stats(queues.get(0));
        if (warned) {
          log.info("broker reachable; starting");
        }
        return;
      } catch (BrokerUnavailableException e) {
        if (System.nanoTime() - deadline >= 0) {
          throw e;
        }
        if (!warned) {
          log.warn("broker unavailable at start-up, waiting up to {}: {}", wait, e.getMessage());
          warned = true;
        }
      }
      try {
        if (lifecycle.awaitStopRequest(STARTUP_RETRY)) {
          throw new CommandFailedException("stopped while waiting for the broker");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailedException("interrupted while waiting for the broker");
      }
    }
  }

  private static MetricsServer startServer(
      MetricsSettings where, PrometheusRegistry registry, Supplier<Optional<String>> health) {
    try {
      MetricsServer server = MetricsServer.start(where.bind(), where.port(), registry, health);
      log.info("metrics on http://{}:{}/metrics, health on /health", where.bind(), server.port());
      return server;
    } catch (UncheckedIOException e) {
      throw new CommandFailedException(e.getMessage());
    }
  }

  private static void stopPool(WorkerPool pool, Duration grace) {
    if (!pool.stop(grace)) {
      log.warn("worker pool did not finish within {}; unfinished tasks were released", grace);
    }
  }
}
