package dev.dq.app.run;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.Durations;
import dev.dq.app.config.SettingResolver;
import dev.dq.app.config.VersionProvider;
import dev.dq.app.config.WorkerSettings;
import dev.dq.app.handlers.FlakyHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dq run}: a worker process serving every handler on the classpath until SIGTERM or SIGINT.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Runs a worker process until SIGTERM or SIGINT, then stops gracefully and exits 0.",
    description = {
      "Serves the task types of every handler found on the classpath (the built-in sleep, echo, fail, flaky, and "
          + "any NamedTaskHandler listed in META-INF/services of a jar added with java -cp). Exposes /metrics and "
          + "/health on --metrics-bind:--metrics-port."
    },
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  DQ_WORKERS, DQ_QUEUES (comma-separated), DQ_MAX_ATTEMPTS, DQ_TASK_TIMEOUTS (type=dur,...),",
      "  DQ_CONCURRENCY (type=N,...), DQ_GRACE, DQ_PREFETCH, DQ_METRICS_PORT, DQ_METRICS_BIND, DQ_FLAKY_RATE",
      "A flag wins over its environment variable. A bad value exits with code 2."
    })
public final class RunCommand implements Callable<Integer> {
  static final int MAX_PREFETCH = 1000;

  /**
   * Like Celery's prefetch multiplier: claims 4 tasks per round trip; waiting ones keep renewed
   * leases.
   */
  static final int DEFAULT_PREFETCH = 4;

  static final int DEFAULT_METRICS_PORT = 9400;
  static final Duration MAX_GRACE = Duration.ofHours(1);
  static final Duration MAX_TIMEOUT = Duration.ofDays(1);

  private final SettingResolver env;
  private final Supplier<AppSettings> app;
  private final WorkerWiring wiring;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description = "Worker threads (env DQ_WORKERS, default 4).")
  String workers;

  @Option(
      names = "--queue",
      paramLabel = "NAME",
      description =
          "Queue to serve; repeatable (env DQ_QUEUES, comma-separated; default: default).")
  List<String> queues;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      description =
          "Attempts per task before the dead-letter queue (env DQ_MAX_ATTEMPTS, default 3).")
  String maxAttempts;

  @Option(
      names = "--task-timeout",
      paramLabel = "TYPE=DURATION",
      description =
          "Handler time limit for a task type, e.g. email=30s; repeatable (env DQ_TASK_TIMEOUTS).")
  List<String> timeouts;

  @Option(
      names = "--concurrency",
      paramLabel = "TYPE=N",
      description =
          "Most handlers of a task type at once, e.g. email=2; repeatable (env DQ_CONCURRENCY).")
  List<String> concurrency;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      description =
          "How long a stop waits for running handlers before interrupting them (env DQ_GRACE, default 30s).")
  String grace;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Port of /metrics and /health; 0 turns them off (env DQ_METRICS_PORT, default 9400).")
  String metricsPort;

  @Option(
      names = "--metrics-bind",
      paramLabel = "ADDRESS",
      description =
          "Address /metrics and /health listen on (env DQ_METRICS_BIND, default 127.0.0.1).")
  String metricsBind;

  @Option(
      names = "--prefetch",
      paramLabel = "N",
      description =
          "Tasks a worker claims per broker call and successes it acks per call; more saves round trips "
              + "to Redis (env DQ_PREFETCH, default 4).")
  String prefetch;

  @Option(
      names = "--flaky-rate",
      paramLabel = "P",
      description =
          "Failure probability of the flaky handler when its payload names none (env DQ_FLAKY_RATE, "
              + "default 0.5).")
  String flakyRate;

  /**
   * @param app the shared settings of the root command, resolved (and logging configured) when this
   *     command runs
   * @param wiring builds the pool and what it needs once the settings are known
   */
  public RunCommand(SettingResolver env, Supplier<AppSettings> app, WorkerWiring wiring) {
    this.env = env;
    this.app = app;
    this.wiring = wiring;
  }

  @Override
  public Integer call() {
    AppSettings shared = app.get();
    RunSettings settings = settings();
    var handlers = Handlers.load(Thread.currentThread().getContextClassLoader(), settings);
    return WorkerProcess.run(wiring.build(shared, settings, handlers), shared, settings, handlers);
  }

  RunSettings settings() {
    int w = env.intInRange(workers, "--workers", "DQ_WORKERS", 4, 1, WorkerSettings.MAX_WORKERS);
    List<String> q =
        env.queues(queues, "--queue", "DQ_QUEUES", List.of(dev.dq.core.task.Task.DEFAULT_QUEUE));
    int a =
        env.intInRange(
            maxAttempts, "--max-attempts", "DQ_MAX_ATTEMPTS", 3, 1, WorkerSettings.MAX_ATTEMPTS);
    var t =
        env.pairs(
            timeouts,
            "--task-timeout",
            "DQ_TASK_TIMEOUTS",
            "DURATION",
            raw -> {
              Duration d = Durations.parse(raw);
              return d.isNegative() || d.isZero() || d.compareTo(MAX_TIMEOUT) > 0 ? null : d;
            });
    var c =
        env.pairs(
            concurrency,
            "--concurrency",
            "DQ_CONCURRENCY",
            "N (1-" + WorkerSettings.MAX_WORKERS + ")",
            raw -> {
              int n = Integer.parseInt(raw);
              return n >= 1 && n <= WorkerSettings.MAX_WORKERS ? n : null;
            });
    Duration g =
        env.duration(
            grace, "--grace", "DQ_GRACE", Duration.ofSeconds(30), Duration.ZERO, MAX_GRACE);
    int port =
        env.intInRange(
            metricsPort, "--metrics-port", "DQ_METRICS_PORT", DEFAULT_METRICS_PORT, 0, 65535);
    String bind = env.text(metricsBind, "DQ_METRICS_BIND", "127.0.0.1");
    double rate =
        env.decimal(flakyRate, "--flaky-rate", "DQ_FLAKY_RATE", FlakyHandler.DEFAULT_RATE, 0, 1);
    int p =
        env.intInRange(prefetch, "--prefetch", "DQ_PREFETCH", DEFAULT_PREFETCH, 1, MAX_PREFETCH);
    return new RunSettings(
        new WorkerSettings(w, a, g, q, t, c, p), new MetricsSettings(bind, port), rate);
  }
}
