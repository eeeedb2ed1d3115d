package dev.dq.app;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dq demo}: the Go study's demo, on the broker chosen by {@code --broker} / {@code DQ_BROKER}. */
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
      "  WORKERS         worker threads (default 3)",
      "  TASKS           tasks to publish (default 10)",
      "  MAX_ATTEMPTS    attempts per task (default 3)",
      "A flag wins over its environment variable. A bad value exits with code 2."
    })
final class DemoCommand implements Callable<Integer> {
  static final int MAX_WORKERS = 256;
  static final int MAX_TASKS = 1_000_000;
  static final int MAX_ATTEMPTS = 100;
  static final Duration GRACE = Duration.ofSeconds(5);

  /** Runs the demo with resolved settings and returns the exit code; tests replace it to inspect the settings. */
  @FunctionalInterface
  interface Launcher {
    int launch(AppSettings app, DemoSettings demo);
  }

  private final Env env;
  private final Launcher launcher;

  @ParentCommand DqCommand parent;

  @Option(names = "--workers", paramLabel = "N", description = "Worker threads (env WORKERS, default 3).")
  String workers;

  @Option(names = "--tasks", paramLabel = "N", description = "Tasks to publish (env TASKS, default 10).")
  String tasks;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      description = "Attempts per task before the dead-letter queue (env MAX_ATTEMPTS, default 3).")
  String maxAttempts;

  @Option(
      names = "--seed",
      paramLabel = "LONG",
      description = "Makes durations and failures reproducible (default: random, printed in the summary).")
  Long seed;

  DemoCommand(Env env, Launcher launcher) {
    this.env = env;
    this.launcher = launcher;
  }

  @Override
  public Integer call() {
    AppSettings app = parent.settings();
    return launcher.launch(app, settings());
  }

  DemoSettings settings() {
    int w = env.intInRange(workers, "--workers", "WORKERS", 3, 1, MAX_WORKERS);
    int t = env.intInRange(tasks, "--tasks", "TASKS", 10, 1, MAX_TASKS);
    int a = env.intInRange(maxAttempts, "--max-attempts", "MAX_ATTEMPTS", 3, 1, MAX_ATTEMPTS);
    long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
    return new DemoSettings(new WorkerSettings(w, a, GRACE), t, s);
  }
}
