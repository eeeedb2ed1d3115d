package dev.dq.app.ops;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.EnvironmentDefaults;
import dev.dq.app.config.VersionProvider;
import dev.dq.app.lifecycle.Lifecycle;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.QueuePauses;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.TaskQueueException;
import dev.dq.core.worker.RateLimitedLog;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dq stats}: per queue, how many tasks are ready, in flight, delayed and dead. */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header =
        "Prints, per queue, the tasks ready, in flight, delayed and dead, and whether it is paused.",
    description = {
      "Shows the queues given with --queue, else every queue the broker knows plus default. With --watch, prints "
          + "again every --interval until Ctrl+C or SIGTERM (exit 0); with --json, one JSON object per line."
    })
public final class StatsCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(StatsCommand.class);

  private final Supplier<AppSettings> app;
  private final BrokerSessions sessions;

  @Spec CommandSpec spec;

  @Option(
      names = "--queue",
      paramLabel = "NAME",
      converter = OpsSettings.Queues.class,
      split = EnvironmentDefaults.ITEMS,
      hideParamSyntax = true,
      description = "Queue to show; repeatable (env DQ_QUEUES).")
  List<String> queues;

  @Option(names = "--json", description = "Print one JSON object per line instead of a table.")
  boolean json;

  @Option(names = "--watch", description = "Print again every --interval until stopped.")
  boolean watch;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      converter = OpsSettings.StatsInterval.class,
      description =
          "Refresh interval of --watch (env DQ_STATS_INTERVAL, default ${DEFAULT-VALUE}).")
  Duration interval;

  /**
   * @param app the shared settings of the root command, resolved (and logging configured) when this
   *     command runs
   * @param sessions opens the broker once the settings are known
   */
  public StatsCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
    this.app = app;
    this.sessions = sessions;
  }

  @Override
  public Integer call() {
    AppSettings shared = app.get();
    List<String> named = queues == null ? List.of() : List.copyOf(queues);
    Duration every = interval;
    BrokerSession session = BrokerSession.open(sessions, shared);
    if (!watch) {
      try (session) {
        print(session.broker(), session.deadLetters(), session.clock(), named);
      }
      return 0;
    }
    return watch(session, named, every);
  }

  /**
   * Prints until a signal; broker errors are logged (rate-limited) and the next refresh tries
   * again.
   */
  private int watch(BrokerSession session, List<String> named, Duration every) {
    Lifecycle lifecycle =
        new Lifecycle(
            List.of(new Lifecycle.Service("broker", () -> {}, session::close)),
            Duration.ofSeconds(5));
    RateLimitedLog errors = new RateLimitedLog(log, session.clock(), Duration.ofSeconds(5));
    lifecycle.runUntilStopped(
        every,
        () -> {
          try {
            print(session.broker(), session.deadLetters(), session.clock(), named);
          } catch (TaskQueueException e) {
            errors.warn("reading queue counts failed", e);
          }
        });
    return 0;
  }

  private void print(Broker broker, DeadLetterQueue dead, InstantSource clock, List<String> named) {
    List<String> names = named;
    if (names.isEmpty()) {
      TreeSet<String> known = new TreeSet<>(broker.queues());
      known.add(dev.dq.core.task.Task.DEFAULT_QUEUE);
      names = new ArrayList<>(known);
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String queue : names) {
      QueueStats s = broker.stats(queue);
      Map<String, Object> row = Json.stats(s, dead.size(queue));
      row.put("paused", broker instanceof QueuePauses p && p.pauseOf(queue).isPresent());
      rows.add(row);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("time", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
      line.put("queues", rows);
      Json.println(out, line);
      return;
    }
    if (watch) {
      out.println(clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }
    out.printf(
        Locale.ROOT,
        "%-24s %10s %10s %10s %10s %7s%n",
        "QUEUE",
        "READY",
        "IN_FLIGHT",
        "DELAYED",
        "DEAD",
        "PAUSED");
    for (Map<String, Object> r : rows) {
      out.printf(
          Locale.ROOT,
          "%-24s %10d %10d %10d %10d %7s%n",
          r.get("queue"),
          r.get("ready"),
          r.get("in_flight"),
          r.get("delayed"),
          r.get("dead"),
          Boolean.TRUE.equals(r.get("paused")) ? "yes" : "no");
    }
    out.flush();
  }
}
