package dev.dq.app.cron;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.app.config.AppSettings;
import dev.dq.app.config.BadSettingException;
import dev.dq.app.config.CommandFailedException;
import dev.dq.app.config.Durations;
import dev.dq.app.config.SettingResolver;
import dev.dq.app.config.VersionProvider;
import dev.dq.app.logging.Logging;
import dev.dq.app.ops.BrokerSession;
import dev.dq.app.ops.BrokerSessions;
import dev.dq.core.schedule.Misfire;
import dev.dq.core.schedule.Overlap;
import dev.dq.core.schedule.Schedule;
import dev.dq.core.schedule.ScheduleEvent;
import dev.dq.core.schedule.ScheduleHost;
import dev.dq.core.schedule.ScheduleSpec;
import dev.dq.core.schedule.ScheduleState;
import dev.dq.core.schedule.Schedules;
import dev.dq.core.schedule.UpsertOutcome;
import dev.dq.core.task.Names;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.task.TaskQueueException;
import dev.dq.cron.Cron;
import dev.dq.cron.Ticks;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

// Over 300 lines: the eight cron subcommands are nested, so each shares the session and output.
/** {@code dq cron}: periodic schedules kept in the broker, fired by every {@code dq run}. */
@Command(
    name = "cron",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header =
        "Manages periodic schedules: add, list, show, remove, pause, resume, trigger, history.",
    description =
        "Schedules live in the broker; every dq run fires those of the queues it serves (unless"
            + " --no-scheduler), each tick exactly once. Exits 1 when a schedule is not found.")
public final class CronCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  /**
   * The {@code cron} command with its subcommands.
   *
   * @param app the shared settings, resolved when a subcommand runs
   * @param sessions opens the broker once the settings are known
   * @return the command line
   */
  public static CommandLine commandLine(Supplier<AppSettings> app, BrokerSessions sessions) {
    CommandLine cron = new CommandLine(new CronCommand());
    cron.addSubcommand("add", new Add(app, sessions));
    cron.addSubcommand("list", new ListSchedules(app, sessions));
    cron.addSubcommand("show", new Show(app, sessions));
    cron.addSubcommand("remove", new Remove(app, sessions));
    cron.addSubcommand("pause", new Pause(app, sessions));
    cron.addSubcommand("resume", new Resume(app, sessions));
    cron.addSubcommand("trigger", new Trigger(app, sessions));
    cron.addSubcommand("history", new History(app, sessions));
    return cron;
  }

  /** Without a subcommand there is nothing to do: show the usage, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** What every subcommand shares: the session, the queue option, the output. */
  abstract static class Sub implements Callable<Integer> {
    private final Supplier<AppSettings> app;
    private final BrokerSessions sessions;

    @Spec CommandSpec spec;

    @Option(
        names = "--queue",
        paramLabel = "NAME",
        defaultValue = Task.DEFAULT_QUEUE,
        description = "Queue of the schedule (default ${DEFAULT-VALUE}).")
    String queue;

    Sub(Supplier<AppSettings> app, BrokerSessions sessions) {
      this.app = app;
      this.sessions = sessions;
    }

    @Override
    public final Integer call() {
      AppSettings shared = app.get();
      checkName("--queue", queue);
      Logging.warningsOnly();
      try (BrokerSession session = sessions.open(shared)) {
        if (!(session.broker() instanceof ScheduleHost host)) {
          throw new CommandFailedException("broker " + shared.broker() + " keeps no schedules");
        }
        if (session.inProcess()) {
          spec.commandLine()
              .getErr()
              .println(
                  "warning: broker "
                      + shared.broker()
                      + " lives inside this process only: no dq run sees these schedules");
        }
        return run(session, host.schedules(), spec.commandLine().getOut());
      }
    }

    abstract int run(BrokerSession session, Schedules schedules, PrintWriter out);

    ScheduleState existing(Schedules schedules, String name) {
      return schedules
          .get(queue, name)
          .orElseThrow(
              () -> new CommandFailedException("no schedule " + name + " on queue " + queue));
    }
  }

  static void checkName(String what, String value) {
    try {
      Names.check(what, value);
    } catch (TaskQueueException e) {
      throw new BadSettingException(e.getMessage());
    }
  }

  static void printJson(PrintWriter out, Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A schedule as {@code dq cron show} prints it and the dashboard's API answers. */
  public static Map<String, Object> json(ScheduleState st) {
    Schedule s = st.schedule();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("queue", s.queue());
    if (s.spec().isCron()) {
      m.put("cron", s.spec().cron());
    } else {
      m.put("every", Durations.format(s.spec().every()));
    }
    m.put("zone", s.zone().getId());
    m.put("type", s.type());
    m.put("payload", s.payload().asUtf8());
    m.put("headers", s.headers());
    m.put("misfire", s.misfire().name().toLowerCase(Locale.ROOT));
    m.put("overlap", s.overlap().name().toLowerCase(Locale.ROOT));
    m.put("paused", st.paused());
    m.put("next_tick", st.nextTick().toString());
    return m;
  }

  static String line(ScheduleState st) {
    Schedule s = st.schedule();
    return String.format(
        Locale.ROOT,
        "%-24s %-16s %-28s %-14s %-20s %s%s",
        s.name(),
        s.queue(),
        s.spec().isCron() ? s.spec().cron() : "every " + Durations.format(s.spec().every()),
        s.zone().getId(),
        s.type(),
        st.paused() ? "paused" : "next " + st.nextTick(),
        "");
  }

  /**
   * A schedule as {@code dq cron add} and the dashboard's cron form give it, not checked yet.
   *
   * @param name the schedule's name
   * @param queue its queue
   * @param cron a cron expression, or null
   * @param every a fixed interval such as {@code 5m}, or null (exactly one of the two)
   * @param zone the time zone of the expression
   * @param type the task type of each run
   * @param payload the payload of each run (UTF-8)
   * @param headers the headers of each run, or null
   * @param misfire {@code skip}, {@code once} or {@code all}
   * @param overlap {@code allow} or {@code skip}
   */
  public record Draft(
      String name,
      String queue,
      String cron,
      String every,
      String zone,
      String type,
      String payload,
      Map<String, String> headers,
      String misfire,
      String overlap) {}

  /**
   * The checked schedule of a draft.
   *
   * @param prefix of the names in errors: {@code --} for flags, empty for the dashboard's fields
   * @throws BadSettingException naming the first bad value
   */
  public static Schedule schedule(String prefix, Draft d) {
    checkName("schedule name", d.name());
    checkName(prefix + "queue", d.queue());
    checkName(prefix + "type", d.type());
    if (d.name().length() > Schedule.MAX_NAME_LENGTH) {
      throw new BadSettingException(
          "schedule name must be at most " + Schedule.MAX_NAME_LENGTH + " characters: " + d.name());
    }
    if ((d.cron() == null) == (d.every() == null)) {
      throw new BadSettingException(
          "give exactly one of " + prefix + "cron and " + prefix + "every");
    }
    ZoneId zoneId;
    try {
      zoneId = ZoneId.of(d.zone());
    } catch (DateTimeException e) {
      throw new BadSettingException(
          prefix + "zone: unknown time zone \"" + SettingResolver.printable(d.zone()) + "\"");
    }
    try {
      ScheduleSpec when;
      if (d.cron() != null) {
        when = ScheduleSpec.cron(d.cron());
      } else {
        Duration every;
        try {
          every = Durations.parse(d.every());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(prefix + "every: " + e.getMessage(), e);
        }
        when = ScheduleSpec.every(every);
      }
      Misfire m;
      Overlap o;
      try {
        m = Misfire.parse(d.misfire());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(prefix + "misfire: " + e.getMessage(), e);
      }
      try {
        o = Overlap.parse(d.overlap());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(prefix + "overlap: " + e.getMessage(), e);
      }
      Schedule s =
          new Schedule(
              d.name(),
              d.queue(),
              when,
              zoneId,
              d.type(),
              Payload.ofUtf8(d.payload()),
              d.headers() == null ? Map.of() : d.headers(),
              m,
              o);
      Ticks.of(s); // checks the cron expression
      return s;
    } catch (IllegalArgumentException | TaskQueueException e) {
      String msg = e.getMessage();
      throw new BadSettingException(msg.startsWith("bad cron") ? prefix + "cron: " + msg : msg);
    }
  }

  /** The spec: exactly one of --cron and --every. */
  static final class When {
    @Option(
        names = "--cron",
        paramLabel = "EXPR",
        required = true,
        description = "Cron expression: 5 fields, or 6 with seconds first.")
    String cron;

    @Option(
        names = "--every",
        paramLabel = "DURATION",
        required = true,
        description = "Fixed interval, e.g. 30s, 5m (ticks at multiples since the epoch).")
    String every;
  }

  /** {@code dq cron add}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      header = "Adds or changes a schedule; the same spec again changes nothing.")
  static final class Add extends Sub {
    @Parameters(paramLabel = "NAME", description = "Name of the schedule, unique per queue.")
    String name;

    @ArgGroup(exclusive = true, multiplicity = "1")
    When when;

    @Option(names = "--type", paramLabel = "TYPE", required = true, description = "Task type.")
    String type;

    @Option(
        names = "--payload",
        paramLabel = "TEXT",
        defaultValue = "",
        description = "Payload of each run (UTF-8).")
    String payload;

    @Option(
        names = "--header",
        paramLabel = "KEY=VALUE",
        description = "Header of each run; repeatable.")
    Map<String, String> headers;

    @Option(
        names = "--zone",
        paramLabel = "ZONE",
        defaultValue = "UTC",
        description = "Time zone of the cron expression (default ${DEFAULT-VALUE}).")
    String zone;

    @Option(
        names = "--misfire",
        paramLabel = "POLICY",
        defaultValue = "skip",
        description = "Late ticks after downtime: skip | once | all (default ${DEFAULT-VALUE}).")
    String misfire;

    @Option(
        names = "--overlap",
        paramLabel = "POLICY",
        defaultValue = "allow",
        description =
            "While the previous run is queued or running: allow | skip (default ${DEFAULT-VALUE}).")
    String overlap;

    Add(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    private Schedule schedule() {
      return CronCommand.schedule(
          "--",
          new Draft(
              name, queue, when.cron, when.every, zone, type, payload, headers, misfire, overlap));
    }

    @Override
    int run(BrokerSession session, Schedules schedules, PrintWriter out) {
      Schedule s = schedule();
      UpsertOutcome outcome = Cron.add(schedules, s);
      ScheduleState st = schedules.get(queue, name).orElseThrow();
      out.println(
          outcome.name().toLowerCase(Locale.ROOT)
              + " schedule "
              + name
              + " on queue "
              + queue
              + ", next tick "
              + st.nextTick());
      return 0;
    }

    @Override
    public String toString() {
      return "cron add " + name;
    }
  }

  /** {@code dq cron list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      header = "Lists the schedules of --queue, or of every queue with --all.")
  static final class ListSchedules extends Sub {
    @Option(names = "--json", description = "One JSON object per schedule and line.")
    boolean json;

    @Option(names = "--all", description = "Every queue the broker knows, not only --queue.")
    boolean all;

    ListSchedules(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    int run(BrokerSession session, Schedules schedules, PrintWriter out) {
      TreeSet<String> queues = new TreeSet<>();
      queues.add(queue);
      if (all) {
        queues.addAll(session.broker().queues());
      }
      List<ScheduleState> states = new ArrayList<>();
      for (String q : queues) {
        states.addAll(schedules.list(q));
      }
      for (ScheduleState st : states) {
        if (json) {
          printJson(out, json(st));
        } else {
          out.println(line(st));
        }
      }
      out.flush();
      return 0;
    }
  }

  /** {@code dq cron show}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      header = "Shows one schedule (as JSON).")
  static final class Show extends Sub {
    @Parameters(paramLabel = "NAME", description = "The schedule.")
    String name;

    Show(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    int run(BrokerSession session, Schedules schedules, PrintWriter out) {
      printJson(out, json(existing(schedules, name)));
      return 0;
    }
  }

  /** {@code dq cron remove}. */
  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      header = "Removes a schedule and its history; runs already enqueued stay.")
  static final class Remove extends Sub {
    @Parameters(paramLabel = "NAME", description = "The schedule.")
    String name;

    Remove(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    int run(BrokerSession session, Schedules schedules, PrintWriter out) {
      if (!schedules.remove(queue, name)) {
        throw new CommandFailedException("no schedule " + name + " on queue " + queue);
      }
      out.println("removed schedule " + name + " on queue " + queue);
      return 0;
    }
  }

  /** {@code dq cron pause}. */
  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      header = "Pauses a schedule: no tick fires until it is resumed.")
  static final class Pause extends Sub {
    @Parameters(paramLabel = "NAME", description = "The schedule.")
    String name;

    Pause(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    int run(BrokerSession session, Schedules schedules, PrintWriter out) {
      if (!schedules.pause(queue, name)) {
        throw new CommandFailedException("no schedule " + name + " on queue " + queue);
      }
      out.println("paused schedule " + name + " on queue " + queue);
      return 0;
    }
  }

  /** {@code dq cron resume}. */
  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      header =
          "Resumes a paused schedule at its next tick from now; ticks missed while paused do not fire.")
  static final class Resume extends Sub {
    @Parameters(paramLabel = "NAME", description = "The schedule.")
    String name;

    Resume(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    int run(BrokerSession session, Schedules schedules, PrintWriter out) {
      if (!Cron.resume(schedules, queue, name)) {
        throw new CommandFailedException("no schedule " + name + " on queue " + queue);
      }
      out.println(
          "resumed schedule "
              + name
              + " on queue "
              + queue
              + ", next tick "
              + existing(schedules, name).nextTick());
      return 0;
    }
  }

  /** {@code dq cron trigger}. */
  @Command(
      name = "trigger",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      header =
          "Enqueues one run of a schedule now, apart from its ticks (id cron:NAME:manual:MILLIS).")
  static final class Trigger extends Sub {
    @Parameters(paramLabel = "NAME", description = "The schedule.")
    String name;

    Trigger(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    int run(BrokerSession session, Schedules schedules, PrintWriter out) {
      Task task = manualRun(existing(schedules, name).schedule(), schedules.now());
      try {
        session.broker().enqueue(task, Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailedException("interrupted; the run may or may not be enqueued");
      }
      out.println(task.id());
      return 0;
    }
  }

  /**
   * The task of a run triggered by hand (not a tick), as {@code dq cron trigger} and the dashboard
   * enqueue it.
   *
   * @param s the schedule
   * @param now the schedules' clock (the broker's)
   * @return the task, with an id of the form {@code cron:NAME:manual:EPOCH_MS}
   */
  public static Task manualRun(Schedule s, Instant now) {
    return new Task(
        new TaskId("cron:" + s.name() + ":manual:" + now.toEpochMilli()),
        s.queue(),
        s.type(),
        s.payload(),
        s.headers(),
        now,
        1);
  }

  /** {@code dq cron history}. */
  @Command(
      name = "history",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      header = "What became of the latest ticks of a schedule, newest first.")
  static final class History extends Sub {
    @Parameters(paramLabel = "NAME", description = "The schedule.")
    String name;

    @Option(names = "--json", description = "One JSON object per entry and line.")
    boolean json;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "20",
        description =
            "Most entries (default ${DEFAULT-VALUE}, at most " + Schedules.HISTORY_LIMIT + ").")
    int limit;

    History(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    int run(BrokerSession session, Schedules schedules, PrintWriter out) {
      existing(schedules, name);
      for (ScheduleEvent e : schedules.history(queue, name, limit)) {
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("tick", e.tick().toString());
          m.put("outcome", e.outcome().name().toLowerCase(Locale.ROOT));
          m.put("task_id", e.taskId());
          m.put("at", e.at().toString());
          printJson(out, m);
        } else {
          out.println(
              e.tick()
                  + " "
                  + e.outcome().name().toLowerCase(Locale.ROOT)
                  + " "
                  + e.taskId()
                  + " at "
                  + e.at());
        }
      }
      out.flush();
      return 0;
    }
  }
}
