package dev.dq.app.ops;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.BadSettingException;
import dev.dq.app.config.CommandFailedException;
import dev.dq.app.config.Durations;
import dev.dq.app.config.SettingResolver;
import dev.dq.app.config.VersionProvider;
import dev.dq.core.limit.Limit;
import dev.dq.core.limit.LimitTarget;
import dev.dq.core.limit.Limits;
import dev.dq.core.limit.Rate;
import dev.dq.core.task.InvalidTaskException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dq limit set|list|remove}: global rate and concurrency limits kept in the broker. */
@Command(
    name = "limit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Sets, lists and removes global rate and concurrency limits.",
    description =
        "Limits live in the broker: every worker process obeys them, and a change applies without "
            + "a restart (within about a second).")
public final class LimitCommand implements Callable<Integer> {
  private static final Pattern RATE = Pattern.compile("(\\d{1,9})/(\\d{0,9})(ms|s|m|h|d)");

  @Spec CommandSpec spec;

  /**
   * The {@code limit} command with its subcommands.
   *
   * @param app the shared settings, resolved when a subcommand runs
   * @param sessions opens the broker
   * @return the command line
   */
  public static CommandLine commandLine(Supplier<AppSettings> app, BrokerSessions sessions) {
    CommandLine limit = new CommandLine(new LimitCommand());
    limit.addSubcommand("set", new SetCommand(app, sessions));
    limit.addSubcommand("list", new ListCommand(app, sessions));
    limit.addSubcommand("remove", new RemoveCommand(app, sessions));
    return limit;
  }

  /** Without a subcommand there is nothing to do: show the usage, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** {@code N/DURATION}: {@code 50/1s}, {@code 50/s}, {@code 1000/5m}. */
  static Rate rate(String raw, long burst) {
    Matcher m = RATE.matcher(raw.trim().toLowerCase(Locale.ROOT));
    String expected = "N/DURATION with N >= 1 and DURATION 1ms..1d (e.g. 50/1s, 50/s, 1000/5m)";
    if (!m.matches()) {
      throw SettingResolver.bad("--rate", raw, expected);
    }
    try {
      long n = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
      Duration per = "d".equals(m.group(3)) ? Duration.ofDays(n) : Durations.parse(n + m.group(3));
      return new Rate(Long.parseLong(m.group(1)), per, burst);
    } catch (IllegalArgumentException e) {
      throw SettingResolver.bad("--rate", raw, expected);
    }
  }

  /**
   * The target of {@code --type} / {@code --queue}: exactly one.
   *
   * @param type the task type, or null
   * @param queue the queue, or null
   * @return the target
   * @throws BadSettingException neither or both given, or a bad name
   */
  public static LimitTarget target(String type, String queue) {
    if ((type == null) == (queue == null)) {
      throw new BadSettingException("limit: give exactly one of --type T and --queue Q");
    }
    try {
      return type != null ? LimitTarget.type(type) : LimitTarget.queue(queue);
    } catch (InvalidTaskException e) {
      throw SettingResolver.bad(
          type != null ? "--type" : "--queue",
          type != null ? type : queue,
          "a name of 1-128 characters [A-Za-z0-9._:-]");
    }
  }

  /**
   * The limit the options of {@code dq limit set} describe (each null when not given), checked as
   * that command checks them; the dashboard's form uses it too.
   *
   * @throws BadSettingException a value is bad (the message names it)
   */
  public static Limit limit(
      String type, String queue, String rate, String burst, String concurrency) {
    LimitTarget target = target(type, queue);
    long b = 0;
    if (burst != null) {
      if (rate == null) {
        throw new BadSettingException("--burst needs --rate");
      }
      b = number("--burst", burst, 0);
    }
    OptionalInt conc =
        concurrency == null
            ? OptionalInt.empty()
            : OptionalInt.of((int) number("--concurrency", concurrency, 1));
    Optional<Rate> r = rate == null ? Optional.empty() : Optional.of(rate(rate, b));
    if (r.isEmpty() && conc.isEmpty()) {
      throw new BadSettingException("limit set: give --rate N/DURATION, --concurrency N or both");
    }
    return new Limit(target, r, conc);
  }

  private static long number(String flag, String raw, long min) {
    String expected = "a whole number from " + min + " to 1000000000";
    try {
      long n = Long.parseLong(raw.trim());
      if (n >= min && n <= 1_000_000_000L) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw SettingResolver.bad(flag, raw, expected);
  }

  /**
   * A limit as {@code dq limit list --json} prints it.
   *
   * @param l the limit
   * @return its fields
   */
  public static Map<String, Object> json(Limit l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", l.target().key());
    m.put("scope", l.target().scope().name().toLowerCase(Locale.ROOT));
    m.put("name", l.target().name());
    l.rate()
        .ifPresent(
            r -> {
              m.put("rate", r.permits());
              m.put("per_ms", r.per().toMillis());
              m.put("burst", r.burst());
            });
    l.concurrency().ifPresent(c -> m.put("concurrency", c));
    return m;
  }

  /**
   * A limit as {@code dq limit set} confirms it: {@code type:T: rate 50/1s, concurrency 3}.
   *
   * @param l the limit
   * @return one line
   */
  public static String text(Limit l) {
    List<String> parts = new ArrayList<>();
    l.rate()
        .ifPresent(
            r ->
                parts.add(
                    "rate "
                        + r.permits()
                        + "/"
                        + Durations.format(r.per())
                        + (r.burst() == 0 ? "" : " burst " + r.burst())));
    l.concurrency().ifPresent(c -> parts.add("concurrency " + c));
    return l.target().key() + ": " + String.join(", ", parts);
  }

  /** What every subcommand shares: settings, the broker session, output. */
  abstract static class Sub implements Callable<Integer> {
    private final Supplier<AppSettings> app;
    private final BrokerSessions sessions;

    @Spec CommandSpec spec;

    Sub(Supplier<AppSettings> app, BrokerSessions sessions) {
      this.app = app;
      this.sessions = sessions;
    }

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    @Override
    public final Integer call() {
      AppSettings shared = app.get();
      check();
      try (BrokerSession session = BrokerSession.open(sessions, shared)) {
        if (!(session.broker() instanceof Limits limits)) {
          throw new CommandFailedException(
              "broker " + shared.broker() + " does not keep global limits");
        }
        int code = run(limits);
        out().flush();
        return code;
      }
    }

    /** Checks the arguments before the broker is opened, so a usage error is the only line. */
    void check() {}

    abstract int run(Limits limits);
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      header = "Sets the limit of a type or queue, replacing the one it had.")
  static final class SetCommand extends Sub {
    @Option(names = "--type", paramLabel = "T", description = "Limit the tasks of this type.")
    String type;

    @Option(names = "--queue", paramLabel = "Q", description = "Limit the tasks of this queue.")
    String queue;

    @Option(
        names = "--rate",
        paramLabel = "N/DURATION",
        description = "At most N task starts per DURATION, evenly spread (e.g. 50/1s, 1000/5m).")
    String rate;

    @Option(
        names = "--burst",
        paramLabel = "B",
        description = "Extra starts allowed at once after a quiet spell (with --rate; default 0).")
    String burst;

    @Option(
        names = "--concurrency",
        paramLabel = "N",
        description = "At most N tasks running at once across every process.")
    String concurrency;

    private Limit limit;

    SetCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    void check() {
      limit = limit(type, queue, rate, burst, concurrency);
    }

    @Override
    int run(Limits limits) {
      limits.setLimit(limit);
      out().println("set " + text(limit));
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, header = "Lists every limit.")
  static final class ListCommand extends Sub {
    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    ListCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    int run(Limits limits) {
      List<Limit> all = limits.limits();
      if (json) {
        Json.println(out(), Map.of("limits", all.stream().map(LimitCommand::json).toList()));
        return 0;
      }
      out().printf(Locale.ROOT, "%-32s %-14s %8s %12s%n", "TARGET", "RATE", "BURST", "CONCURRENCY");
      for (Limit l : all) {
        out()
            .printf(
                Locale.ROOT,
                "%-32s %-14s %8s %12s%n",
                l.target().key(),
                l.rate().map(r -> r.permits() + "/" + Durations.format(r.per())).orElse("-"),
                l.rate().map(r -> Long.toString(r.burst())).orElse("-"),
                l.concurrency().isPresent() ? Integer.toString(l.concurrency().getAsInt()) : "-");
      }
      return 0;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      header = "Removes the limit of a type or queue; exits 1 if it had none.")
  static final class RemoveCommand extends Sub {
    @Option(names = "--type", paramLabel = "T", description = "The type whose limit to remove.")
    String type;

    @Option(names = "--queue", paramLabel = "Q", description = "The queue whose limit to remove.")
    String queue;

    private LimitTarget target;

    RemoveCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    void check() {
      target = target(type, queue);
    }

    @Override
    int run(Limits limits) {
      if (!limits.removeLimit(target)) {
        throw new CommandFailedException("no limit on " + target.key());
      }
      out().println("removed limit on " + target.key());
      return 0;
    }
  }
}
