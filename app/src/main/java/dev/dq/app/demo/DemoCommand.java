package dev.dq.app.demo;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.Setting;
import dev.dq.app.config.Setting.Rule;
import dev.dq.app.config.VersionProvider;
import dev.dq.app.config.WorkerSettings;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dq demo}: the Go study's demo, on the broker chosen by {@code --broker} / {@code
 * DQ_BROKER}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Runs the demo: publish tasks, process them with failures, retries and dead letters.",
    description = {
      "Publishes TASKS tasks, processes them with WORKERS workers that take 20-200 ms and fail about 30%% of the "
          + "time, retries each up to MAX_ATTEMPTS attempts (backoff 50 ms doubling up to 1 s), then dead-letters it. "
          + "Logs every event on stderr, prints a summary and the dead-letter queue on stdout. Ctrl+C stops it "
          + "gracefully."
    },
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  WORKERS         worker threads",
      "  TASKS           tasks to publish",
      "  MAX_ATTEMPTS    attempts per task",
      "A flag wins over its environment variable. A bad value exits with code 2."
    })
public final class DemoCommand implements Callable<Integer> {
  static final int MAX_WORKERS = 256;
  static final int MAX_TASKS = 1_000_000;
  public static final Duration GRACE = Duration.ofSeconds(5);

  /**
   * Runs the demo with resolved settings and returns the exit code; tests replace it to inspect the
   * settings.
   */
  @FunctionalInterface
  public interface Launcher {
    int launch(AppSettings app, DemoSettings demo);
  }

  private final Supplier<AppSettings> app;
  private final Launcher launcher;

  @Option(
      names = "--workers",
      paramLabel = "N",
      converter = Workers.class,
      description = "Worker threads (env WORKERS, default ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--tasks",
      paramLabel = "N",
      converter = Tasks.class,
      description = "Tasks to publish (env TASKS, default ${DEFAULT-VALUE}).")
  int tasks;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      converter = MaxAttempts.class,
      description =
          "Attempts per task before the dead-letter queue (env MAX_ATTEMPTS, default ${DEFAULT-VALUE}).")
  int maxAttempts;

  @Option(
      names = "--seed",
      paramLabel = "LONG",
      description =
          "Makes durations and failures reproducible (default: random, printed in the summary).")
  Long seed;

  /**
   * @param app the shared settings of the root command, resolved when this command runs
   */
  public DemoCommand(Supplier<AppSettings> app, Launcher launcher) {
    this.app = app;
    this.launcher = launcher;
  }

  @Override
  public Integer call() {
    return launcher.launch(app.get(), settings());
  }

  DemoSettings settings() {
    long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
    return new DemoSettings(new WorkerSettings(workers, maxAttempts, GRACE), tasks, s);
  }

  static final class Workers extends Setting<Integer> {
    Workers() {
      super("WORKERS", "3", Rule.wholeNumber(1, MAX_WORKERS));
    }
  }

  static final class Tasks extends Setting<Integer> {
    Tasks() {
      super("TASKS", "10", Rule.wholeNumber(1, MAX_TASKS));
    }
  }

  static final class MaxAttempts extends Setting<Integer> {
    MaxAttempts() {
      super("MAX_ATTEMPTS", "3", Rule.wholeNumber(1, WorkerSettings.MAX_ATTEMPTS));
    }
  }
}
