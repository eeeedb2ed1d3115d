package dev.dq.app.ops;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.BadSettingException;
import dev.dq.app.config.CommandFailedException;
import dev.dq.app.config.Setting.Rule;
import dev.dq.app.config.SettingResolver;
import dev.dq.app.config.VersionProvider;
import dev.dq.core.port.Broker;
import dev.dq.core.port.QueuePause;
import dev.dq.core.port.QueuePauses;
import dev.dq.core.task.Task;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dq queue}: pause, resume and list queues, and their retention. */
@Command(
    name = "queue",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header =
        "Pauses and resumes queues, lists them, and sets how long they keep ended tasks: pause, resume, list, "
            + "retention.",
    description =
        "A paused queue accepts tasks but no worker starts one of them (tasks claimed and not started go back, "
            + "running ones finish) until dq queue resume, or until --for has passed on the broker's clock.")
public final class QueueCommand implements Callable<Integer> {
  static final Rule<Duration> FOR = Rule.duration(Duration.ofSeconds(1), Duration.ofDays(365));
  static final int MAX_REASON = 1024;

  @Spec CommandSpec spec;

  /**
   * The {@code queue} command with its subcommands; {@code app} and {@code sessions} as for {@link
   * PublishCommand}.
   */
  public static CommandLine commandLine(Supplier<AppSettings> app, BrokerSessions sessions) {
    CommandLine queue = new CommandLine(new QueueCommand());
    queue.addSubcommand("pause", new PauseCommand(app, sessions));
    queue.addSubcommand("resume", new ResumeCommand(app, sessions));
    queue.addSubcommand("list", new ListCommand(app, sessions));
    queue.addSubcommand("retention", new QueueRetentionCommand(app, sessions));
    return queue;
  }

  /** Without a subcommand there is nothing to do: show the usage, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** What every subcommand shares: settings, the broker session, output. */
  abstract static class Sub implements Callable<Integer> {
    private final Supplier<AppSettings> app;
    private final BrokerSessions sessions;

    @Spec CommandSpec spec;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    Sub(Supplier<AppSettings> app, BrokerSessions sessions) {
      this.app = app;
      this.sessions = sessions;
    }

    /** Prints {@code value} as one JSON line with --json, else {@code text}. */
    void print(Object value, String text) {
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Json.println(out, value);
      } else {
        out.println(text);
        out.flush();
      }
    }

    @Override
    public final Integer call() {
      AppSettings shared = app.get();
      check();
      try (BrokerSession session = BrokerSession.open(sessions, shared)) {
        if (!(session.broker() instanceof QueuePauses pauses)) {
          throw new CommandFailedException("broker " + shared.broker() + " cannot pause queues");
        }
        return run(session.broker(), pauses);
      }
    }

    /** Checks the arguments before the broker is opened, so a usage error is the only line. */
    void check() {}

    abstract int run(Broker broker, QueuePauses pauses);

    static String queueName(String raw) {
      if (!SettingResolver.isName(raw)) {
        throw SettingResolver.bad("QUEUE", raw, "a queue name of 1-128 characters [A-Za-z0-9._:-]");
      }
      return raw;
    }
  }

  @Command(
      name = "pause",
      mixinStandardHelpOptions = true,
      header = "Pauses a queue: no worker starts a task of it until it is resumed.")
  static final class PauseCommand extends Sub {
    @Parameters(paramLabel = "QUEUE", description = "Queue to pause.")
    String queue;

    @Option(
        names = "--for",
        paramLabel = "DURATION",
        description =
            "Resume by itself after DURATION on the broker's clock (1s to 8760h, e.g. 30m); default: until dq queue resume.")
    String duration;

    @Option(
        names = "--reason",
        paramLabel = "TEXT",
        description = "Why, for whoever lists the queues (at most 1024 characters).")
    String reason;

    private Optional<Duration> parsedFor = Optional.empty();

    PauseCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    void check() {
      queueName(queue);
      parsedFor = pauseFor("--for", duration);
      pauseReason("--reason", reason);
    }

    @Override
    int run(Broker broker, QueuePauses pauses) {
      QueuePause p = pauses.pause(queue, whoAmI(), reason == null ? "" : reason, parsedFor);
      String text =
          "queue "
              + queue
              + " paused by "
              + p.by()
              + p.until().map(u -> " until " + u).orElse(" until dq queue resume " + queue)
              + (p.reason().isEmpty() ? "" : ": " + oneLine(p.reason()));
      print(json(p), text);
      return 0;
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      header = "Resumes a paused queue; idle workers take its tasks at once.")
  static final class ResumeCommand extends Sub {
    @Parameters(paramLabel = "QUEUE", description = "Queue to resume.")
    String queue;

    ResumeCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    void check() {
      queueName(queue);
    }

    @Override
    int run(Broker broker, QueuePauses pauses) {
      boolean was = pauses.resume(queue);
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("queue", queue);
      value.put("was_paused", was);
      print(value, was ? "queue " + queue + " resumed" : "queue " + queue + " was not paused");
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      header = "Lists every known queue: paused or not, by whom, why, since and until when.")
  static final class ListCommand extends Sub {
    ListCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    int run(Broker broker, QueuePauses pauses) {
      TreeSet<String> names = new TreeSet<>(broker.queues());
      names.add(Task.DEFAULT_QUEUE);
      Map<String, QueuePause> paused = new LinkedHashMap<>();
      for (QueuePause p : pauses.pauses()) {
        paused.put(p.queue(), p);
      }
      names.addAll(paused.keySet());
      List<Map<String, Object>> rows = new ArrayList<>();
      StringBuilder text =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%-24s  %-6s  %-24s  %-24s  %-24s  %s",
                  "QUEUE",
                  "PAUSED",
                  "BY",
                  "SINCE",
                  "UNTIL",
                  "REASON"));
      for (String q : names) {
        QueuePause p = paused.get(q);
        if (p == null) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("queue", q);
          row.put("paused", false);
          rows.add(row);
          text.append(String.format(Locale.ROOT, "%n%-24s  %-6s", q, "no"));
        } else {
          rows.add(json(p));
          text.append(
              String.format(
                  Locale.ROOT,
                  "%n%-24s  %-6s  %-24s  %-24s  %-24s  %s",
                  q,
                  "yes",
                  p.by().isEmpty() ? "-" : oneLine(p.by()),
                  p.at(),
                  p.until().map(Instant::toString).orElse("resume"),
                  p.reason().isEmpty() ? "-" : oneLine(p.reason())));
        }
      }
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("queues", rows);
      print(value, text.toString());
      return 0;
    }
  }

  /** A pause as {@code dq queue pause --json} and the dashboard show it. */
  public static Map<String, Object> json(QueuePause p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("queue", p.queue());
    m.put("paused", true);
    m.put("by", p.by());
    m.put("reason", p.reason());
    m.put("since", p.at().toString());
    m.put("until", p.until().map(Instant::toString).orElse(null));
    return m;
  }

  /**
   * A pause's {@code --for} (also the dashboard's pause form): 1s to 8760h, or none.
   *
   * @param source the flag or field, for the error
   * @param raw the value given, or null
   * @throws BadSettingException naming the bad value
   */
  public static Optional<Duration> pauseFor(String source, String raw) {
    if (raw == null) {
      return Optional.empty();
    }
    Duration d;
    try {
      d = FOR.parser().apply(raw.trim());
    } catch (IllegalArgumentException e) {
      d = null;
    }
    if (d == null) {
      throw SettingResolver.bad(source, raw, FOR.expected());
    }
    return Optional.of(d);
  }

  /**
   * A pause's {@code --reason} (also the dashboard's): at most 1024 characters; none is empty.
   *
   * @param source the flag or field, for the error
   * @param reason the value given, or null
   * @throws BadSettingException naming the bad value
   */
  public static String pauseReason(String source, String reason) {
    if (reason != null && reason.length() > MAX_REASON) {
      throw SettingResolver.bad(
          source, reason.substring(0, 40) + "...", "at most " + MAX_REASON + " characters");
    }
    return reason == null ? "" : reason;
  }

  /** Who pauses: {@code user@host}, as far as this process can tell. */
  static String whoAmI() {
    String user = System.getProperty("user.name", "unknown");
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "unknown";
      }
    }
    return user + "@" + host;
  }

  private static String oneLine(String s) {
    return SettingResolver.printable(s);
  }
}
