package dev.dq.app.run;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.BadSettingException;
import dev.dq.app.config.Durations;
import dev.dq.app.config.EnvironmentDefaults;
import dev.dq.app.config.Setting;
import dev.dq.app.config.Setting.Rule;
import dev.dq.app.config.VersionProvider;
import dev.dq.app.config.WorkerSettings;
import dev.dq.app.dashboard.DashboardSettings;
import dev.dq.app.handlers.FlakyHandler;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
      "  DQ_WORKERS, DQ_QUEUES (comma-separated NAME[=WEIGHT]), DQ_MAX_ATTEMPTS, DQ_TASK_TIMEOUTS (type=dur,...),",
      "  DQ_CONCURRENCY (type=N,...), DQ_GRACE, DQ_LEASE_TIME, DQ_PREFETCH, DQ_METRICS_PORT, DQ_METRICS_BIND, DQ_FLAKY_RATE,",
      "  DQ_RUN_DASHBOARD_PORT, DQ_DASHBOARD_BIND, DQ_DASHBOARD_ALLOWED_HOSTS, DQ_DASHBOARD_TOKEN",
      "A flag wins over its environment variable. A bad value exits with code 2."
    })
public final class RunCommand implements Callable<Integer> {
  static final int MAX_PREFETCH = 1000;

  /**
   * Like Celery's prefetch multiplier: claims 4 tasks per round trip; waiting ones keep renewed
   * leases.
   */
  /** Worker threads of {@code dq run} by default; {@code dq bench} measures at the same. */
  public static final int DEFAULT_WORKERS = 4;

  /** Prefetch of {@code dq run} by default; {@code dq bench} measures at the same. */
  public static final int DEFAULT_PREFETCH = 4;

  static final int DEFAULT_METRICS_PORT = 9400;
  static final Duration MAX_GRACE = Duration.ofHours(1);
  static final Duration MAX_TIMEOUT = Duration.ofDays(1);
  static final Duration MIN_LEASE = Duration.ofMillis(300);
  static final Duration MAX_LEASE = Duration.ofHours(1);

  private final Supplier<AppSettings> app;
  private final WorkerWiring wiring;

  @Option(
      names = "--workers",
      paramLabel = "N",
      converter = Workers.class,
      description = "Worker threads (env DQ_WORKERS, default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--queue",
      paramLabel = "NAME[=WEIGHT]",
      converter = Queues.class,
      split = EnvironmentDefaults.ITEMS,
      hideParamSyntax = true,
      defaultValue = Task.DEFAULT_QUEUE,
      description =
          "Queue to serve, with an optional weight (default 1): while several queues have work, "
              + "worker slots are busy with each in proportion to its weight; repeatable (env "
              + "DQ_QUEUES, comma-separated; default: ${DEFAULT-VALUE}).")
  List<QueueWeight> queues;

  @Option(
      names = "--strict",
      description =
          "Serve the queues in the order given: a task of a later queue starts only when every "
              + "earlier queue was found empty. Excludes weights.")
  boolean strict;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      converter = MaxAttempts.class,
      description =
          "Attempts per task before the dead-letter queue (env DQ_MAX_ATTEMPTS, default ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(
      names = "--task-timeout",
      paramLabel = "TYPE=DURATION",
      converter = TaskTimeouts.class,
      split = EnvironmentDefaults.ITEMS,
      hideParamSyntax = true,
      description =
          "Handler time limit for a task type, e.g. email=30s; repeatable (env DQ_TASK_TIMEOUTS).")
  List<Map.Entry<String, Duration>> timeouts;

  @Option(
      names = "--concurrency",
      paramLabel = "TYPE=N",
      converter = Concurrency.class,
      split = EnvironmentDefaults.ITEMS,
      hideParamSyntax = true,
      description =
          "Most handlers of a task type at once, e.g. email=2; repeatable (env DQ_CONCURRENCY).")
  List<Map.Entry<String, Integer>> concurrency;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      converter = Grace.class,
      description =
          "How long a stop waits for running handlers before interrupting them (env DQ_GRACE, "
              + "default ${DEFAULT-VALUE}).")
  Duration grace;

  @Option(
      names = "--lease-time",
      paramLabel = "DURATION",
      converter = LeaseTime.class,
      description =
          "How long a task is held before another worker may take it; running tasks renew it every "
              + "third of it, so it bounds how soon a dead worker's tasks run again (env "
              + "DQ_LEASE_TIME, default ${DEFAULT-VALUE}).")
  Duration leaseTime;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      converter = MetricsPort.class,
      description =
          "Port of /metrics and /health; 0 turns them off (env DQ_METRICS_PORT, default ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(
      names = "--metrics-bind",
      paramLabel = "ADDRESS",
      converter = MetricsBind.class,
      description =
          "Address /metrics and /health listen on (env DQ_METRICS_BIND, default ${DEFAULT-VALUE}).")
  String metricsBind;

  @Option(
      names = "--prefetch",
      paramLabel = "N",
      converter = Prefetch.class,
      description =
          "Tasks a worker claims per broker call and successes it acks per call; more saves round trips "
              + "to Redis (env DQ_PREFETCH, default ${DEFAULT-VALUE}).")
  int prefetch;

  @Option(
      names = "--flaky-rate",
      paramLabel = "P",
      converter = FlakyRate.class,
      description =
          "Failure probability of the flaky handler when its payload names none (env DQ_FLAKY_RATE, "
              + "default ${DEFAULT-VALUE}).")
  double flakyRate;

  @Option(
      names = "--startup-wait",
      paramLabel = "DURATION",
      converter = StartupWait.class,
      description =
          "How long start-up waits for a broker that is unavailable (Redis restarting or loading"
              + " its AOF) before it exits 1 (env DQ_STARTUP_WAIT, default ${DEFAULT-VALUE}).")
  Duration startupWait;

  @Option(
      names = "--no-scheduler",
      description =
          "Do not fire the cron schedules of the served queues here (by default every dq run does;"
              + " each tick is enqueued once however many do).")
  boolean noScheduler;

  @Option(
      names = "--dashboard-port",
      paramLabel = "PORT",
      converter = DashboardSettings.OptionalPort.class,
      description =
          "Also serve the web dashboard and its API from this process, on this port (0 = any free"
              + " one); off unless given (env DQ_RUN_DASHBOARD_PORT). The same rules as dq dashboard.")
  Integer dashboardPort;

  @Option(
      names = "--dashboard-bind",
      paramLabel = "ADDRESS",
      converter = DashboardSettings.Bind.class,
      description =
          "Address the dashboard listens on (env DQ_DASHBOARD_BIND, default ${DEFAULT-VALUE}); not"
              + " loopback needs DQ_DASHBOARD_TOKEN or --dashboard-read-only.")
  String dashboardBind;

  @Option(
      names = "--dashboard-allowed-host",
      paramLabel = "NAME",
      converter = DashboardSettings.AllowedHost.class,
      split = EnvironmentDefaults.ITEMS,
      hideParamSyntax = true,
      description =
          "Host name the browser may use for the dashboard, as dq dashboard --allowed-host;"
              + " repeatable (env DQ_DASHBOARD_ALLOWED_HOSTS).")
  List<String> dashboardAllowedHosts;

  @Option(
      names = "--dashboard-read-only",
      description = "The dashboard shows only: hides and refuses every action.")
  boolean dashboardReadOnly;

  /** Only from the environment (a flag would show the token in the process list). */
  @Option(names = "--dashboard-token", hidden = true, converter = DashboardSettings.Token.class)
  String dashboardToken;

  @Spec CommandSpec spec;

  /**
   * @param app the shared settings of the root command, resolved (and logging configured) when this
   *     command runs
   * @param wiring builds the pool and what it needs once the settings are known
   */
  public RunCommand(Supplier<AppSettings> app, WorkerWiring wiring) {
    this.app = app;
    this.wiring = wiring;
  }

  @Override
  public Integer call() {
    AppSettings shared = app.get();
    RunSettings settings = settings();
    Optional<DashboardSettings> dashboard = dashboard();
    var handlers = Handlers.load(Thread.currentThread().getContextClassLoader(), settings);
    return WorkerProcess.run(
        wiring.build(shared, settings, handlers),
        shared,
        settings,
        handlers,
        !noScheduler,
        dashboard);
  }

  /** The dashboard this process serves too, if {@code --dashboard-port} is given. */
  Optional<DashboardSettings> dashboard() {
    boolean tokenFlag =
        spec != null && spec.commandLine().getParseResult().hasMatchedOption("--dashboard-token");
    if (dashboardPort == null) {
      if (tokenFlag) {
        // refused even without a dashboard: the process list shows it
        DashboardSettings.of("--dashboard-", "127.0.0.1", 0, false, null, true, List.of());
      }
      return Optional.empty();
    }
    return Optional.of(
        DashboardSettings.of(
            "--dashboard-",
            dashboardBind,
            dashboardPort,
            dashboardReadOnly,
            dashboardToken,
            tokenFlag,
            dashboardAllowedHosts));
  }

  RunSettings settings() {
    Map<String, Integer> weights = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    for (QueueWeight q : queues) {
      if (!names.contains(q.queue())) {
        names.add(q.queue());
      }
      if (q.given()) {
        weights.put(q.queue(), q.weight()); // a later weight of the same queue wins
      }
    }
    if (strict && !weights.isEmpty()) {
      // sidekiq#3709: mixing both silently dropped the weights there
      throw new BadSettingException(
          "--strict serves queues in the order given and takes no weights; got --queue "
              + queues.stream().filter(QueueWeight::given).findFirst().orElseThrow()
              + ": drop the weights or --strict");
    }
    return new RunSettings(
        new WorkerSettings(
            workers,
            maxAttempts,
            grace,
            names,
            Setting.asMap(timeouts),
            Setting.asMap(concurrency),
            prefetch,
            leaseTime,
            weights,
            strict),
        new MetricsSettings(metricsBind, metricsPort),
        flakyRate,
        startupWait);
  }

  static final class Workers extends Setting<Integer> {
    Workers() {
      super(
          "DQ_WORKERS",
          String.valueOf(DEFAULT_WORKERS),
          Rule.wholeNumber(1, WorkerSettings.MAX_WORKERS));
    }
  }

  /**
   * One queue, with an optional weight; the variable is a comma-separated list, the default is the
   * option's.
   */
  static final class Queues extends Setting<QueueWeight> {
    Queues() {
      super("DQ_QUEUES", null, QueueWeight.rule());
    }
  }

  static final class MaxAttempts extends Setting<Integer> {
    MaxAttempts() {
      super("DQ_MAX_ATTEMPTS", "3", Rule.wholeNumber(1, WorkerSettings.MAX_ATTEMPTS));
    }
  }

  static final class TaskTimeouts extends Setting<Map.Entry<String, Duration>> {
    TaskTimeouts() {
      super(
          "DQ_TASK_TIMEOUTS",
          null,
          Rule.pair(
              new Rule<>(
                  "DURATION",
                  raw -> {
                    Duration d = Durations.parse(raw);
                    return d.isNegative() || d.isZero() || d.compareTo(MAX_TIMEOUT) > 0 ? null : d;
                  })));
    }
  }

  static final class Concurrency extends Setting<Map.Entry<String, Integer>> {
    Concurrency() {
      super(
          "DQ_CONCURRENCY",
          null,
          Rule.pair(
              new Rule<>(
                  "N (1-" + WorkerSettings.MAX_WORKERS + ")",
                  Rule.wholeNumber(1, WorkerSettings.MAX_WORKERS).parser())));
    }
  }

  static final class Grace extends Setting<Duration> {
    Grace() {
      super("DQ_GRACE", "30s", Rule.duration(Duration.ZERO, MAX_GRACE));
    }
  }

  static final class StartupWait extends Setting<Duration> {
    StartupWait() {
      super("DQ_STARTUP_WAIT", "30s", Rule.duration(Duration.ZERO, Duration.ofMinutes(10)));
    }
  }

  static final class LeaseTime extends Setting<Duration> {
    LeaseTime() {
      super("DQ_LEASE_TIME", "8s", Rule.duration(MIN_LEASE, MAX_LEASE));
    }
  }

  static final class MetricsPort extends Setting<Integer> {
    MetricsPort() {
      super("DQ_METRICS_PORT", String.valueOf(DEFAULT_METRICS_PORT), Rule.wholeNumber(0, 65535));
    }
  }

  static final class MetricsBind extends Setting<String> {
    MetricsBind() {
      super("DQ_METRICS_BIND", "127.0.0.1", Rule.text());
    }
  }

  static final class Prefetch extends Setting<Integer> {
    Prefetch() {
      super("DQ_PREFETCH", String.valueOf(DEFAULT_PREFETCH), Rule.wholeNumber(1, MAX_PREFETCH));
    }
  }

  static final class FlakyRate extends Setting<Double> {
    FlakyRate() {
      super("DQ_FLAKY_RATE", String.valueOf(FlakyHandler.DEFAULT_RATE), Rule.decimal(0, 1));
    }
  }
}
