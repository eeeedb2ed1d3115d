package dev.dq.app.ops;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.BadSettingException;
import dev.dq.app.config.CommandFailedException;
import dev.dq.app.config.SettingResolver;
import dev.dq.app.config.VersionProvider;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.DeadLetterFilter;
import dev.dq.core.port.DeadLetterMark;
import dev.dq.core.port.DeadLetterPage;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.InvalidDeadLetterQueryException;
import dev.dq.core.port.TaskNotFoundException;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.TaskId;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

// Over 300 lines: the five dlq subcommands are nested, so each shares the options and output.
/** {@code dq dlq}: inspect and repair the dead-letter queue of one queue. */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Inspects and repairs the dead-letter queue: list, show, requeue, delete, purge.",
    description =
        "Every subcommand takes --queue (default: default) and --json. Exits 1 when an entry is not found.")
public final class DlqCommand implements Callable<Integer> {
  static final int MAX_LIMIT = 10_000;

  @Spec CommandSpec spec;

  /**
   * The {@code dlq} command with its subcommands; {@code app} and {@code sessions} as for {@link
   * PublishCommand}.
   */
  public static CommandLine commandLine(Supplier<AppSettings> app, BrokerSessions sessions) {
    CommandLine dlq = new CommandLine(new DlqCommand());
    dlq.addSubcommand("list", new ListCommand(app, sessions));
    dlq.addSubcommand("show", new ShowCommand(app, sessions));
    dlq.addSubcommand("requeue", new RequeueCommand(app, sessions));
    dlq.addSubcommand("delete", new DeleteCommand(app, sessions));
    dlq.addSubcommand("purge", new PurgeCommand(app, sessions));
    return dlq;
  }

  /** Without a subcommand there is nothing to do: show the usage, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** Options every dlq subcommand takes. */
  static final class Options {
    @Option(
        names = "--queue",
        paramLabel = "NAME",
        converter = OpsSettings.Queue.class,
        description = "Queue (env DQ_QUEUE, default: ${DEFAULT-VALUE}).")
    String queue;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;
  }

  /** The filter of list, requeue --all and purge. */
  static final class FilterOptions {
    @Option(names = "--type", paramLabel = "TYPE", description = "Only entries of this task type.")
    String type;

    @Option(
        names = "--error",
        paramLabel = "TEXT",
        description =
            "Only entries whose error type or message contains TEXT (ASCII case ignored).")
    String error;

    DeadLetterFilter filter() {
      return usage("--type/--error", () -> new DeadLetterFilter(type, error));
    }

    boolean any() {
      return type != null || error != null;
    }
  }

  /** The mark of requeue --all and purge, with their filter. */
  static final class BulkOptions {
    @Mixin FilterOptions filter;

    @Option(
        names = "--mark",
        paramLabel = "MARK",
        description =
            "Act only on entries dead at MARK (printed by a filtered dq dlq list); default: those "
                + "dead when the command starts.")
    String mark;

    /** The mark given, checked, or the queue's mark now. */
    DeadLetterMark mark(DeadLetterQueue dead, String queue) {
      if (mark == null) {
        return dead.mark(queue);
      }
      return usage("--mark", () -> DeadLetterMark.parse(mark, queue));
    }

    boolean any() {
      return filter.any() || mark != null;
    }
  }

  /** Runs {@code step}, turning a bad filter, cursor or mark into a one-line usage error. */
  static <T> T usage(String option, Supplier<T> step) {
    try {
      return step.get();
    } catch (InvalidDeadLetterQueryException e) {
      throw new BadSettingException(option + ": " + SettingResolver.printable(e.getMessage()));
    }
  }

  /** What every subcommand shares: settings, the broker session, output. */
  abstract static class Sub implements Callable<Integer> {
    private final Supplier<AppSettings> app;
    private final BrokerSessions sessions;

    @Spec CommandSpec spec;
    @Mixin Options options;

    Sub(Supplier<AppSettings> app, BrokerSessions sessions) {
      this.app = app;
      this.sessions = sessions;
    }

    static TaskId id(String raw) {
      try {
        return new TaskId(raw);
      } catch (InvalidTaskException e) {
        throw SettingResolver.bad(
            "ID",
            raw,
            "a task id of 1-128 characters [A-Za-z0-9._:-] (an entry stored under another id "
                + "is listed by dq dlq list under an id that works here)");
      }
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    /** Prints {@code json} with --json, else {@code text}. */
    void print(Object json, String text) {
      if (options.json) {
        Json.println(out(), json);
      } else {
        out().println(text);
        out().flush();
      }
    }

    @Override
    public final Integer call() {
      AppSettings shared = app.get();
      check();
      try (BrokerSession session = BrokerSession.open(sessions, shared)) {
        return run(session.deadLetters(), options.queue);
      }
    }

    /**
     * Checks the arguments before the broker is opened, so a usage error is the only line printed.
     */
    void check() {}

    abstract int run(DeadLetterQueue dead, String queue);

    static CommandFailedException notFound(TaskId id, String queue) {
      return new CommandFailedException("no dead letter " + id + " in queue " + queue);
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      header = "Lists dead letters, oldest first.")
  static final class ListCommand extends Sub {
    @Option(
        names = "--limit",
        paramLabel = "N",
        converter = OpsSettings.DlqLimit.class,
        description = "At most N entries (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(
        names = "--offset",
        paramLabel = "N",
        converter = OpsSettings.DlqOffset.class,
        description = "Skip the N oldest entries (default ${DEFAULT-VALUE}).")
    int offset;

    @Mixin FilterOptions filter;

    @Option(
        names = "--cursor",
        paramLabel = "CURSOR",
        description =
            "Go on from the cursor a filtered list printed. A filtered list looks at no more than "
                + DeadLetterQueue.SCAN_LIMIT
                + " entries per call.")
    String cursor;

    ListCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    private boolean filtered() {
      return filter.any() || cursor != null;
    }

    @Override
    void check() {
      if (filtered()) {
        filter.filter();
        if (offset != 0) {
          throw new BadSettingException("--offset does not go with --type, --error or --cursor");
        }
        if (limit > DeadLetterQueue.FIND_LIMIT) {
          throw SettingResolver.bad(
              "--limit", "" + limit, "at most " + DeadLetterQueue.FIND_LIMIT + " with a filter");
        }
      }
    }

    @Override
    int run(DeadLetterQueue dead, String queue) {
      List<DeadLetter> entries;
      DeadLetterPage page = null;
      if (filtered()) {
        String from = cursor == null ? DeadLetterQueue.FIRST : cursor;
        page = usage("--cursor", () -> dead.find(queue, filter.filter(), from, limit));
        entries = page.entries();
      } else {
        entries = dead.list(queue, offset, limit);
      }
      long total = dead.size(queue);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("queue", queue);
      json.put("total", total);
      json.put("entries", entries.stream().map(d -> Json.deadLetter(d, false)).toList());
      if (page != null) {
        json.put("mark", page.mark().token());
        json.put("next_cursor", page.end() ? null : page.nextCursor());
        json.put("scanned", page.scanned());
      }
      StringBuilder text = new StringBuilder();
      text.append(
          String.format(
              Locale.ROOT,
              "%-36s  %-16s  %8s  %-24s  %s%n",
              "ID",
              "TYPE",
              "ATTEMPTS",
              "FAILED_AT",
              "ERROR"));
      for (DeadLetter d : entries) {
        text.append(
            String.format(
                Locale.ROOT,
                "%-36s  %-16s  %8d  %-24s  %s: %s%n",
                d.task().id(),
                d.task().type(),
                d.failure().attempts(),
                d.failure().failedAt(),
                d.failure().errorType(),
                oneLine(d.failure().message())));
      }
      if (page == null) {
        text.append(
            String.format(
                Locale.ROOT, "%d of %d dead letters in queue %s", entries.size(), total, queue));
      } else {
        text.append(
            String.format(
                Locale.ROOT,
                "%d matches among %d scanned of %d dead letters in queue %s; mark %s; %s",
                entries.size(),
                page.scanned(),
                total,
                queue,
                page.mark().token(),
                page.end() ? "end" : "next: --cursor " + page.nextCursor()));
      }
      print(json, text.toString());
      return 0;
    }
  }

  /** A subcommand about one entry, named by its id. */
  abstract static class OneEntry extends Sub {
    @Parameters(paramLabel = "ID", description = "Task id.")
    String id;

    OneEntry(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    final void check() {
      id(id);
    }

    @Override
    final int run(DeadLetterQueue dead, String queue) {
      return run(dead, queue, id(id));
    }

    abstract int run(DeadLetterQueue dead, String queue, TaskId taskId);
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      header = "Shows one dead letter with its payload.")
  static final class ShowCommand extends OneEntry {
    ShowCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    int run(DeadLetterQueue dead, String queue, TaskId taskId) {
      DeadLetter d = dead.get(queue, taskId).orElseThrow(() -> notFound(taskId, queue));
      Map<String, Object> json = Json.deadLetter(d, true);
      StringBuilder text = new StringBuilder();
      json.forEach((k, v) -> text.append(String.format(Locale.ROOT, "%-13s %s%n", k, v)));
      print(json, text.toString().stripTrailing());
      return 0;
    }
  }

  @Command(
      name = "requeue",
      mixinStandardHelpOptions = true,
      header = "Moves dead letters back to their queue as fresh tasks (attempt 1).")
  static final class RequeueCommand extends Sub {
    @Parameters(paramLabel = "ID", arity = "0..1", description = "Task id (or --all).")
    String id;

    @Option(
        names = "--all",
        description =
            "Requeue the entries present now, oldest first, each once, while the queue has room; entries "
                + "that die again meanwhile stay for a later call.")
    boolean all;

    @Mixin BulkOptions bulk;

    RequeueCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    void check() {
      if (all == (id != null)) {
        throw new BadSettingException("requeue needs either an ID or --all");
      }
      if (id != null) {
        id(id);
        if (bulk.any()) {
          throw new BadSettingException("--type, --error and --mark go with --all, not an ID");
        }
      }
      bulk.filter.filter();
    }

    @Override
    int run(DeadLetterQueue dead, String queue) {
      if (all) {
        int n =
            bulk.any()
                ? usage(
                    "--mark",
                    () -> dead.requeueAll(queue, bulk.filter.filter(), bulk.mark(dead, queue)))
                : dead.requeueAll(queue);
        print(Map.of("requeued", n), "requeued " + n);
        return 0;
      }
      TaskId taskId = id(id);
      try {
        dead.requeue(queue, taskId);
      } catch (TaskNotFoundException e) {
        throw notFound(taskId, queue);
      }
      print(Map.of("requeued", List.of(taskId.value())), "requeued " + taskId);
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, header = "Deletes one dead letter.")
  static final class DeleteCommand extends OneEntry {
    DeleteCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    int run(DeadLetterQueue dead, String queue, TaskId taskId) {
      if (!dead.delete(queue, taskId)) {
        throw notFound(taskId, queue);
      }
      print(Map.of("deleted", List.of(taskId.value())), "deleted " + taskId);
      return 0;
    }
  }

  @Command(
      name = "purge",
      mixinStandardHelpOptions = true,
      header = "Deletes the dead letters of the queue present when it starts.")
  static final class PurgeCommand extends Sub {
    @Mixin BulkOptions bulk;

    PurgeCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    void check() {
      bulk.filter.filter();
    }

    @Override
    int run(DeadLetterQueue dead, String queue) {
      long n =
          bulk.any()
              ? usage(
                  "--mark", () -> dead.purge(queue, bulk.filter.filter(), bulk.mark(dead, queue)))
              : dead.purge(queue);
      print(Map.of("purged", n), "purged " + n);
      return 0;
    }
  }

  private static String oneLine(String message) {
    return message.lines().findFirst().orElse("");
  }
}
