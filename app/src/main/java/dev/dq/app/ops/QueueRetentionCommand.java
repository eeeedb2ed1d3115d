package dev.dq.app.ops;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.BadSettingException;
import dev.dq.app.config.CommandFailedException;
import dev.dq.app.config.Durations;
import dev.dq.app.config.SettingResolver;
import dev.dq.core.lifecycle.Retention;
import dev.dq.core.lifecycle.TaskRetention;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dq queue retention Q}: shows how long and how many ended tasks a queue keeps, or sets any
 * of the four values (the others keep theirs).
 */
@Command(
    name = "retention",
    mixinStandardHelpOptions = true,
    header = "Shows or sets how long and how many ended tasks a queue keeps.",
    description =
        "Succeeded and cancelled tasks are kept for lookup, dead letters for inspection; worker pools remove the "
            + "older and surplus ones (oldest first, with everything they hold) about every 10 s. Defaults: "
            + "24h and 100000 finished, 30d and 100000 dead. Without a flag: shows the queue's retention.")
public final class QueueRetentionCommand implements Callable<Integer> {
  private final Supplier<AppSettings> app;
  private final BrokerSessions sessions;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "QUEUE", description = "The queue.")
  String queue;

  @Option(
      names = "--finished-for",
      paramLabel = "DURATION",
      description = "Keep succeeded and cancelled tasks this long after they ended (e.g. 24h, 7d).")
  String finishedFor;

  @Option(
      names = "--finished-max",
      paramLabel = "N",
      description = "Keep at most N succeeded and cancelled tasks (0 keeps none).")
  Long finishedMax;

  @Option(
      names = "--dead-for",
      paramLabel = "DURATION",
      description = "Keep dead letters this long after they died (e.g. 30d).")
  String deadFor;

  @Option(names = "--dead-max", paramLabel = "N", description = "Keep at most N dead letters.")
  Long deadMax;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  QueueRetentionCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
    this.app = app;
    this.sessions = sessions;
  }

  @Override
  public Integer call() {
    AppSettings shared = app.get();
    QueueCommand.Sub.queueName(queue);
    Changes changes = new Changes(finishedFor, finishedMax, deadFor, deadMax, "--");
    boolean set = changes.any();
    try (BrokerSession session = BrokerSession.open(sessions, shared)) {
      if (!(session.broker() instanceof TaskRetention retention)) {
        throw new CommandFailedException(
            "broker " + shared.broker() + " keeps no ended tasks to retain");
      }
      Retention r = retention.retentionOf(queue);
      if (set) {
        r = changes.applyTo(r);
        retention.setRetention(queue, r);
      }
      print(r, set);
    }
    return 0;
  }

  /**
   * Some of the four values, checked; the others keep theirs.
   *
   * @param finishedFor {@code finished-for} as given, or null
   * @param finishedMax {@code finished-max}, or null
   * @param deadFor {@code dead-for} as given, or null
   * @param deadMax {@code dead-max}, or null
   * @param prefix of the names in errors: {@code --} for flags, empty for the dashboard's fields
   */
  public record Changes(
      String finishedFor, Long finishedMax, String deadFor, Long deadMax, String prefix) {
    /**
     * @throws BadSettingException naming the first bad value
     */
    public Changes {
      duration(prefix + "finished-for", finishedFor);
      duration(prefix + "dead-for", deadFor);
      count(prefix + "finished-max", finishedMax);
      count(prefix + "dead-max", deadMax);
    }

    /** Whether any value changes. */
    public boolean any() {
      return finishedFor != null || deadFor != null || finishedMax != null || deadMax != null;
    }

    /** The retention with the given values changed. */
    public Retention applyTo(Retention r) {
      Duration finished = duration(prefix + "finished-for", finishedFor);
      Duration dead = duration(prefix + "dead-for", deadFor);
      return new Retention(
          finished != null ? finished : r.finishedFor(),
          finishedMax != null ? finishedMax : r.finishedMax(),
          dead != null ? dead : r.deadFor(),
          deadMax != null ? deadMax : r.deadMax());
    }
  }

  /** A queue's retention as {@code --json} prints it and the dashboard's API answers. */
  public static Map<String, Object> json(String queue, Retention r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("queue", queue);
    m.put("finished_ms", r.finishedFor().toMillis());
    m.put("finished_max", r.finishedMax());
    m.put("dead_ms", r.deadFor().toMillis());
    m.put("dead_max", r.deadMax());
    return m;
  }

  private void print(Retention r, boolean set) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Json.println(out, json(queue, r));
      return;
    }
    out.println(
        "queue "
            + queue
            + (set ? " now keeps" : " keeps")
            + " finished tasks for "
            + human(r.finishedFor())
            + " (at most "
            + r.finishedMax()
            + "), dead letters for "
            + human(r.deadFor())
            + " (at most "
            + r.deadMax()
            + ")");
    out.flush();
  }

  /** {@code 30d}, {@code 24h}, else as {@link Durations#format}. */
  public static String human(Duration d) {
    if (!d.isZero() && d.toDaysPart() > 0 && d.equals(Duration.ofDays(d.toDays()))) {
      return d.toDays() + "d";
    }
    if (!d.isZero() && d.equals(Duration.ofHours(d.toHours()))) {
      return d.toHours() + "h";
    }
    return Durations.format(d);
  }

  private static Duration duration(String flag, String raw) {
    if (raw == null) {
      return null;
    }
    try {
      Duration d = Durations.parse(raw);
      if (!d.isNegative()) {
        return d;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw SettingResolver.bad(flag, raw, "a duration (0s, 90m, 24h, 30d)");
  }

  private static void count(String flag, Long n) {
    if (n != null && n < 0) {
      throw SettingResolver.bad(flag, Long.toString(n), "a whole number >= 0");
    }
  }
}
