package dev.dq.app.ops;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.CommandFailedException;
import dev.dq.app.config.SettingResolver;
import dev.dq.app.config.VersionProvider;
import dev.dq.core.ops.Throughput;
import dev.dq.core.ops.ThroughputPoint;
import dev.dq.core.task.Task;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dq throughput}: a queue's attempts per minute over the last hour, kept in the broker. */
@Command(
    name = "throughput",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Prints a queue's processed, failed and dead-lettered attempts per minute.",
    description =
        "One line per minute of the broker's clock, oldest first, ending with the current minute, zeros where "
            + "none. Worker pools record their counts every 5 s, so the last few seconds may be missing.")
public final class ThroughputCommand implements Callable<Integer> {
  private final Supplier<AppSettings> app;
  private final BrokerSessions sessions;

  @Spec CommandSpec spec;

  @Option(
      names = "--queue",
      paramLabel = "QUEUE",
      description = "The queue (default: " + Task.DEFAULT_QUEUE + ").")
  String queue = Task.DEFAULT_QUEUE;

  @Option(
      names = "--minutes",
      paramLabel = "N",
      description = "How many minutes, 1 to " + Throughput.MAX_MINUTES + " (default 15).")
  int minutes = 15;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  /**
   * @param app the shared settings of the root command, resolved when this command runs
   * @param sessions opens the broker once the settings are known
   */
  public ThroughputCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
    this.app = app;
    this.sessions = sessions;
  }

  @Override
  public Integer call() {
    AppSettings shared = app.get();
    if (!SettingResolver.isName(queue)) {
      throw SettingResolver.bad(
          "--queue", queue, "a queue name of 1-128 characters [A-Za-z0-9._:-]");
    }
    if (minutes < 1 || minutes > Throughput.MAX_MINUTES) {
      throw SettingResolver.bad(
          "--minutes", Integer.toString(minutes), "a number from 1 to " + Throughput.MAX_MINUTES);
    }
    try (BrokerSession session = BrokerSession.open(sessions, shared)) {
      if (!(session.broker() instanceof Throughput throughput)) {
        throw new CommandFailedException(
            "broker " + shared.broker() + " keeps no throughput history");
      }
      print(throughput.history(queue, minutes));
      return 0;
    }
  }

  private void print(List<ThroughputPoint> points) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (ThroughputPoint p : points) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("minute", p.minute().toString());
        row.put("processed", p.counts().processed());
        row.put("failed", p.counts().failed());
        row.put("dead", p.counts().dead());
        rows.add(row);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("queue", queue);
      m.put("minutes", rows);
      Json.println(out, m);
      return;
    }
    out.printf(Locale.ROOT, "%-22s %10s %10s %10s%n", "MINUTE", "PROCESSED", "FAILED", "DEAD");
    for (ThroughputPoint p : points) {
      out.printf(
          Locale.ROOT,
          "%-22s %10d %10d %10d%n",
          p.minute(),
          p.counts().processed(),
          p.counts().failed(),
          p.counts().dead());
    }
    out.flush();
  }
}
