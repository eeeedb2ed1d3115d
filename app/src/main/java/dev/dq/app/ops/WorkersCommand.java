package dev.dq.app.ops;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.CommandFailedException;
import dev.dq.app.config.VersionProvider;
import dev.dq.core.ops.LiveWorker;
import dev.dq.core.ops.RunningTask;
import dev.dq.core.ops.WorkerRegistry;
import dev.dq.core.ops.WorkerStatus;
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

/** {@code dq workers}: the live worker processes on the broker. */
@Command(
    name = "workers",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Lists the live worker processes: host, pid, version, queues, busy slots, heartbeats.",
    description =
        "Every worker pool reports itself every 5 s; one that stops leaves the list at once, one that died "
            + "leaves it 15 s after its last heartbeat (the broker's clock).")
public final class WorkersCommand implements Callable<Integer> {
  private final Supplier<AppSettings> app;
  private final BrokerSessions sessions;

  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  /**
   * @param app the shared settings of the root command, resolved when this command runs
   * @param sessions opens the broker once the settings are known
   */
  public WorkersCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
    this.app = app;
    this.sessions = sessions;
  }

  @Override
  public Integer call() {
    AppSettings shared = app.get();
    try (BrokerSession session = BrokerSession.open(sessions, shared)) {
      if (!(session.broker() instanceof WorkerRegistry registry)) {
        throw new CommandFailedException(
            "broker " + shared.broker() + " does not list worker processes");
      }
      print(registry.list());
      return 0;
    }
  }

  private void print(List<LiveWorker> live) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      live.forEach(w -> rows.add(json(w)));
      Json.println(out, Map.of("workers", rows));
      return;
    }
    out.printf(
        Locale.ROOT,
        "%-40s %-20s %8s %-10s %-24s %9s %-24s %-24s %s%n",
        "ID",
        "HOST",
        "PID",
        "VERSION",
        "QUEUES",
        "BUSY",
        "STARTED",
        "LAST_HEARTBEAT",
        "RUNNING");
    for (LiveWorker w : live) {
      WorkerStatus s = w.status();
      out.printf(
          Locale.ROOT,
          "%-40s %-20s %8d %-10s %-24s %9s %-24s %-24s %s%n",
          s.id(),
          s.host(),
          s.pid(),
          s.version(),
          String.join(",", s.queues()),
          s.slotsBusy() + "/" + s.slotsTotal(),
          s.startedAt(),
          w.lastHeartbeat(),
          String.join(",", s.running().stream().map(WorkersCommand::running).toList()));
    }
    out.flush();
  }

  private static String running(RunningTask t) {
    return t.queue() + "/" + t.id().value();
  }

  private static Map<String, Object> json(LiveWorker w) {
    WorkerStatus s = w.status();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("host", s.host());
    m.put("pid", s.pid());
    m.put("version", s.version());
    m.put("queues", s.queues());
    m.put("slots_busy", s.slotsBusy());
    m.put("slots_total", s.slotsTotal());
    m.put("started_at", s.startedAt().toString());
    m.put("last_heartbeat", w.lastHeartbeat().toString());
    m.put("expires_at", w.expiresAt().toString());
    List<Map<String, Object>> running = new ArrayList<>();
    for (RunningTask t : s.running()) {
      running.add(Map.of("queue", t.queue(), "id", t.id().value()));
    }
    m.put("running", running);
    return m;
  }
}
