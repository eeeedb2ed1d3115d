package dev.dq.app.ops;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.CommandFailedException;
import dev.dq.app.config.SettingResolver;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.ops.TaskBrowser;
import dev.dq.core.ops.TaskPage;
import dev.dq.core.task.Task;
import java.io.PrintWriter;
import java.time.Instant;
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

/**
 * {@code dq task list}: one page of a queue's tasks in one state, read from the broker's own
 * structures (work in proportion to the page, never the whole queue).
 */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    header = "Lists one page of a queue's tasks in a state, with the total in that state.",
    description =
        "States: ready (claim order: highest priority first, oldest first), delayed or retrying (one listing, "
            + "soonest due first, each task with its own state), active (by lease expiry), dead (oldest death "
            + "first), succeeded or cancelled (one listing of the kept records, newest first). A task that "
            + "moved between the two reads shows its state now.")
final class TaskListCommand implements Callable<Integer> {
  static final int DEFAULT_LIMIT = 20;

  private final Supplier<AppSettings> app;
  private final BrokerSessions sessions;

  @Spec CommandSpec spec;

  @Option(
      names = "--queue",
      paramLabel = "QUEUE",
      description = "The queue (default: " + Task.DEFAULT_QUEUE + ").")
  String queue = Task.DEFAULT_QUEUE;

  @Option(
      names = "--state",
      required = true,
      paramLabel = "STATE",
      description =
          "ready, delayed, retrying, active, dead, succeeded or cancelled (see the description).")
  String state;

  @Option(names = "--offset", paramLabel = "N", description = "Entries to skip (default 0).")
  long offset;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Most entries to show, 1 to " + TaskBrowser.MAX_LIMIT + " (default 20).")
  int limit = DEFAULT_LIMIT;

  @Option(names = "--json", description = "Print one JSON object instead of a table.")
  boolean json;

  TaskListCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
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
    TaskState wanted = parseState(state);
    if (offset < 0) {
      throw SettingResolver.bad("--offset", Long.toString(offset), "a number >= 0");
    }
    if (limit < 1 || limit > TaskBrowser.MAX_LIMIT) {
      throw SettingResolver.bad(
          "--limit", Integer.toString(limit), "a number from 1 to " + TaskBrowser.MAX_LIMIT);
    }
    try (BrokerSession session = BrokerSession.open(sessions, shared)) {
      if (!(session.broker() instanceof TaskBrowser browser)) {
        throw new CommandFailedException("broker " + shared.broker() + " cannot list tasks");
      }
      print(browser.list(queue, wanted, offset, limit), wanted);
      return 0;
    }
  }

  private static TaskState parseState(String s) {
    for (TaskState t : TaskState.values()) {
      if (t.wireName().equals(s == null ? "" : s.trim().toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw SettingResolver.bad(
        "--state", s, "ready, delayed, retrying, active, dead, succeeded or cancelled");
  }

  private void print(TaskPage page, TaskState wanted) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("queue", queue);
      m.put("state", wanted.wireName());
      m.put("offset", offset);
      m.put("limit", limit);
      m.put("total", page.total());
      List<Map<String, Object>> tasks = new ArrayList<>();
      page.tasks().forEach(t -> tasks.add(TaskView.json(t)));
      m.put("tasks", tasks);
      Json.println(out, m);
      return;
    }
    out.printf(
        Locale.ROOT,
        "%s tasks %d-%d of %d in queue %s%n",
        wanted.wireName(),
        page.tasks().isEmpty() ? offset : offset + 1,
        offset + page.tasks().size(),
        page.total(),
        queue);
    out.printf(
        Locale.ROOT,
        "%-36s %-10s %-20s %7s %4s %-24s%n",
        "ID",
        "STATE",
        "TYPE",
        "ATTEMPT",
        "PRI",
        "SINCE");
    for (TaskInfo t : page.tasks()) {
      Instant since = t.finishedAt().or(t::startedAt).orElse(t.createdAt());
      out.printf(
          Locale.ROOT,
          "%-36s %-10s %-20s %7d %4d %-24s%n",
          t.id().value(),
          t.state().wireName(),
          t.type(),
          t.attempt(),
          t.priority(),
          since);
    }
    out.flush();
  }
}
