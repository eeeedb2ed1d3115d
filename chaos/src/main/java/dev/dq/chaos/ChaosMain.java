package dev.dq.chaos;

import dev.dq.chaos.harness.Harness;
import dev.dq.chaos.harness.Options;
import dev.dq.chaos.harness.Report;
import dev.dq.chaos.harness.Scenario;
import dev.dq.chaos.harness.ScenarioResult;
import dev.dq.chaos.harness.Scenarios;
import dev.dq.chaos.process.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar dq-chaos.jar}: runs fault scenarios against real Redis servers and {@code dq
 * run} worker processes and prints what was lost.
 */
@Command(
    name = "dq-chaos",
    mixinStandardHelpOptions = true,
    header = "Runs fault scenarios against dq on real redis-servers and reports what was lost.",
    description = {
      "Each scenario starts a fresh redis-server, --workers dq run processes and --producers producer "
          + "processes, injects its faults, drains the queue and checks a ledger kept outside the "
          + "processes it kills. Exits 1 if any scenario lost an acknowledged task, ran a task no "
          + "one enqueued, left anything in the broker or dead-lettered a task; 2 on a bad option; "
          + "3 if the harness itself failed."
    })
public final class ChaosMain implements Callable<Integer> {
  @Option(
      names = "--scenario",
      paramLabel = "NAME",
      description =
          "Scenario to run; repeatable (default: all of them but the negative controls; --list"
              + " names them).")
  List<String> scenarios = new ArrayList<>();

  @Option(names = "--list", description = "List the scenarios and exit.")
  boolean list;

  @Option(
      names = "--minutes",
      paramLabel = "M",
      description = "Soak: one scenario of M minutes drawing every fault kind at random.")
  Integer minutes;

  @Option(names = "--seed", paramLabel = "N", description = "Seed (default: random, printed).")
  Long seed;

  @Option(names = "--workers", paramLabel = "N", description = "dq run processes (default 2).")
  int workers = 2;

  @Option(names = "--threads", paramLabel = "N", description = "Workers in each (default 8).")
  int threads = 8;

  @Option(names = "--producers", paramLabel = "N", description = "Producers (default 2).")
  int producers = 2;

  @Option(
      names = "--rate",
      paramLabel = "N",
      description = "Tasks per second of each producer (default 150).")
  int rate = 150;

  @Option(
      names = "--max-work-ms",
      paramLabel = "MS",
      description = "A task works 1..MS ms (default 20).")
  int maxWorkMillis = 20;

  @Option(
      names = "--lease-time-ms",
      paramLabel = "MS",
      description = "The workers' lease time (default 2000).")
  long leaseMillis = 2000;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Where servers, ledgers and logs go (default: a new temporary directory).")
  Path dir;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write the report here.")
  Path report;

  /** Exit code when the harness itself failed (not the system under test). */
  static final int HARNESS_ERROR = 3;

  public static void main(String[] args) {
    // Ctrl-C or a CI timeout must not leave redis-servers and workers behind, perhaps stopped.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly),
                "dq-chaos-cleanup"));
    CommandLine cli = new CommandLine(new ChaosMain());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("dq-chaos: harness error: " + e);
          return HARNESS_ERROR;
        });
    System.exit(cli.execute(args));
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    Duration lease = Duration.ofMillis(leaseMillis);
    if (list) {
      Scenarios.all(lease).forEach(s -> System.out.println(s.name() + "\t" + s.description()));
      Scenarios.negativeControls()
          .forEach(s -> System.out.println(s.name() + "\t" + s.description()));
      return 0;
    }
    List<Scenario> chosen = choose(lease);
    long runSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000);
    Path root = dir != null ? dir : Files.createTempDirectory("dq-chaos");
    Options options;
    try {
      options =
          new Options(
              workers,
              threads,
              producers,
              rate,
              maxWorkMillis,
              lease,
              runSeed,
              root,
              System.getProperty("java.class.path"),
              RedisServer.findBinary());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
    }
    System.err.println("dq-chaos: seed " + runSeed + ", files in " + root);
    Harness harness = new Harness(options, line -> System.err.println("dq-chaos: " + line));
    List<ScenarioResult> results = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Scenario scenario : chosen) {
      try {
        results.add(harness.run(scenario, options.seedOf(scenario.name())));
      } catch (RuntimeException e) {
        // one broken scenario (a Redis that would not restart) must not hide the others' figures
        errors.add(scenario.name() + ": " + e);
        System.err.println("dq-chaos: harness error in " + scenario.name() + ": " + e);
      }
    }
    StringBuilder text = new StringBuilder(Report.markdown(results, reproduce(runSeed)));
    errors.forEach(e -> text.append("\nHarness error (no figures): ").append(e).append('\n'));
    System.out.print(text);
    if (report != null) {
      Files.writeString(report, text);
    }
    if (!errors.isEmpty()) {
      return HARNESS_ERROR;
    }
    return results.stream().allMatch(ScenarioResult::passed) ? 0 : 1;
  }

  private List<Scenario> choose(Duration lease) {
    if (minutes != null) {
      return List.of(Scenarios.soak(lease, Duration.ofMinutes(minutes)));
    }
    if (scenarios.isEmpty()) {
      return Scenarios.all(lease);
    }
    List<Scenario> chosen = new ArrayList<>();
    for (String name : scenarios) {
      chosen.add(
          Scenarios.named(name, lease)
              .orElseThrow(
                  () ->
                      new CommandLine.ParameterException(
                          new CommandLine(this),
                          "unknown scenario \"" + name + "\" (--list names them)")));
    }
    return chosen;
  }

  private String reproduce(long runSeed) {
    StringBuilder c = new StringBuilder("java -jar chaos/target/dq-chaos.jar");
    if (minutes != null) {
      c.append(" --minutes ").append(minutes);
    }
    scenarios.forEach(s -> c.append(" --scenario ").append(s));
    c.append(" --seed ").append(runSeed);
    c.append(" --workers ").append(workers).append(" --threads ").append(threads);
    c.append(" --producers ").append(producers).append(" --rate ").append(rate);
    c.append(" --max-work-ms ").append(maxWorkMillis);
    c.append(" --lease-time-ms ").append(leaseMillis);
    return c.toString();
  }
}
