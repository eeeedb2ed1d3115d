package dev.dq.app.bench;

import dev.dq.app.bench.BenchSettings.Mode;
import dev.dq.app.config.AppSettings;
import dev.dq.app.config.Backends;
import dev.dq.app.config.CommandFailedException;
import dev.dq.app.config.ServerStats;
import dev.dq.app.config.Setting;
import dev.dq.app.config.Setting.Rule;
import dev.dq.app.config.VersionProvider;
import dev.dq.app.config.WorkerSettings;
import dev.dq.app.run.RunCommand;
import dev.dq.core.port.Broker;
import dev.dq.core.port.QueueAdmin;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dq bench}: throughput and latency of a backend with no-op handlers, in a table or as JSON
 * lines.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header =
        "Measures a backend with no-op handlers: batch enqueue, processing, enqueue-to-start latency.",
    description = {
      "Each mode runs on a fresh queue that must start empty; the process mode fails (exit 1) if any task ran other "
          + "than exactly once. On the memory backend a ThreadPoolExecutor with as many threads runs the same number "
          + "of no-op tasks in the same JVM as a baseline. The redis backend uses --redis-url / DQ_REDIS_URL; "
          + "on a redis:// server each row also gives what the server spent per task, from INFO cpu and INFO "
          + "commandstats before and after: redis_cpu_us_per_task (main thread, µs), redis_calls_per_task, "
          + "redis_scripts_per_task, redis_commands_per_task (calls other than scripts; on Redis 7 this includes "
          + "the commands the scripts ran); the process row adds redis_cpu_us_per_task_whole_life (enqueue + "
          + "process), and the enqueue row store_bytes_per_task."
    })
public final class BenchCommand implements Callable<Integer> {
  private static final Set<String> MODES = Set.of("enqueue", "process", "latency", "all");

  /** Connections beyond one per worker: producers, the heartbeat and the reaper. */
  private static final int SPARE_CONNECTIONS = 8;

  private final Supplier<AppSettings> app;
  private final Backends backends;
  @Spec CommandSpec spec;

  @Option(
      names = "--backend",
      paramLabel = "NAME",
      converter = Backend.class,
      description = "memory or redis (default: --broker / DQ_BROKER).")
  String backend;

  @Option(
      names = "--mode",
      paramLabel = "MODE",
      converter = ModeName.class,
      description = "enqueue, process, latency or all (default ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--tasks",
      paramLabel = "N",
      converter = Tasks.class,
      description = "Tasks per mode (default ${DEFAULT-VALUE}).")
  int tasks;

  @Option(
      names = "--workers",
      paramLabel = "N",
      converter = Workers.class,
      description = "Worker threads (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--payload-bytes",
      paramLabel = "N",
      converter = PayloadBytes.class,
      description = "Payload size of every task (default ${DEFAULT-VALUE}).")
  int payloadBytes;

  @Option(
      names = "--prefetch",
      paramLabel = "N",
      converter = Prefetch.class,
      description = "Tasks a worker claims per call (default ${DEFAULT-VALUE}).")
  int prefetch;

  @Option(
      names = "--batch",
      paramLabel = "N",
      converter = Batch.class,
      description = "Tasks per enqueue call (default ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--latency-samples",
      paramLabel = "N",
      converter = LatencySamples.class,
      description = "Tasks sent one at a time (default ${DEFAULT-VALUE}).")
  int latencySamples;

  @Option(names = "--json", description = "Print one JSON object per result instead of a table.")
  boolean json;

  /**
   * @param app the shared settings of the root command, resolved (and logging configured) when this
   *     command runs
   * @param backends the brokers a bench can measure
   */
  public BenchCommand(Supplier<AppSettings> app, Backends backends) {
    this.app = app;
    this.backends = backends;
  }

  @Override
  public Integer call() throws InterruptedException {
    AppSettings shared = app.get();
    String name = backend != null ? backend : shared.broker();
    BenchSettings settings =
        new BenchSettings(
            tasks,
            workers,
            payloadBytes,
            prefetch,
            batch,
            latencySamples,
            mode.equals("all")
                ? EnumSet.allOf(Mode.class)
                : EnumSet.of(Mode.valueOf(mode.toUpperCase(Locale.ROOT))));
    IntFunction<Broker> brokers =
        capacity -> backends.open(name, shared, capacity, settings.workers() + SPARE_CONNECTIONS);
    List<BenchResult> results;
    try (ServerStats stats = backends.serverStats(name, shared)) {
      BenchRunner runner =
          new BenchRunner(
              name,
              brokers,
              BenchCommand::usedMemoryBytes,
              BenchCommand::deleteQueue,
              stats::read,
              settings);
      results = new ArrayList<>(runner.run());
      if (backends.inProcess(name) && settings.modes().contains(Mode.PROCESS)) {
        results.add(runner.threadPoolBaseline());
      }
    } catch (BenchFailedException | UncheckedIOException e) {
      throw new CommandFailedException("bench failed: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      BenchReport.json(results, out);
    } else {
      BenchReport.table(results, out);
    }
    return 0;
  }

  /**
   * The store's memory use, so the enqueue mode can report bytes per queued task; -1 if it cannot
   * tell.
   */
  private static long usedMemoryBytes(Broker broker) {
    return broker instanceof QueueAdmin admin ? admin.usedMemoryBytes() : -1;
  }

  /**
   * Removes what an emptied bench queue leaves in a shared store; a broker that cannot has nothing
   * to remove.
   */
  private static void deleteQueue(Broker broker, String queue) {
    if (broker instanceof QueueAdmin admin) {
      admin.deleteQueue(queue);
    }
  }

  /** The backend, one of the registry's; without it, the root's broker. */
  static final class Backend extends Setting<String> {
    Backend(Backends backends) {
      super("DQ_BROKER", null, Rule.choice(backends.names()));
    }
  }

  static final class ModeName extends Setting<String> {
    ModeName() {
      super("DQ_BENCH_MODE", "all", Rule.choice(MODES));
    }
  }

  static final class Tasks extends Setting<Integer> {
    Tasks() {
      super("DQ_BENCH_TASKS", "100000", Rule.wholeNumber(1, 50_000_000));
    }
  }

  static final class Workers extends Setting<Integer> {
    Workers() {
      super(
          "DQ_BENCH_WORKERS",
          String.valueOf(RunCommand.DEFAULT_WORKERS), // measure what dq run ships with
          Rule.wholeNumber(1, WorkerSettings.MAX_WORKERS));
    }
  }

  static final class PayloadBytes extends Setting<Integer> {
    PayloadBytes() {
      super("DQ_BENCH_PAYLOAD_BYTES", "100", Rule.wholeNumber(0, 1 << 20));
    }
  }

  static final class Prefetch extends Setting<Integer> {
    Prefetch() {
      super(
          "DQ_BENCH_PREFETCH",
          String.valueOf(RunCommand.DEFAULT_PREFETCH), // measure what dq run ships with
          Rule.wholeNumber(1, 10_000));
    }
  }

  static final class Batch extends Setting<Integer> {
    Batch() {
      super("DQ_BENCH_BATCH", "1000", Rule.wholeNumber(1, 100_000));
    }
  }

  static final class LatencySamples extends Setting<Integer> {
    LatencySamples() {
      super("DQ_BENCH_LATENCY_SAMPLES", "2000", Rule.wholeNumber(1, 1_000_000));
    }
  }
}
