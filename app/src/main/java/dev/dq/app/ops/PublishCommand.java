package dev.dq.app.ops;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.BadSettingException;
import dev.dq.app.config.CommandFailedException;
import dev.dq.app.config.Durations;
import dev.dq.app.config.SettingResolver;
import dev.dq.app.config.VersionProvider;
import dev.dq.core.lifecycle.UniqueOutcome;
import dev.dq.core.lifecycle.UniqueTasks;
import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.OutcomeUnknownException;
import dev.dq.core.port.QueueFullException;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskLimits;
import dev.dq.core.task.TaskQueueException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

// Over 300 lines: flag checks, batching and the messages saying exactly what was published.
/** {@code dq publish}: enqueues tasks given by flags, or one per JSON line on stdin. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Enqueues tasks and prints their ids.",
    description = {
      "With --type: --count tasks of that type, with the payload of --payload or --payload-file. Without --type: one "
          + "task per line of stdin, as UTF-8 JSON: {\"type\":\"echo\",\"payload\":\"hi\"} (optional: \"queue\", "
          + "\"id\", \"headers\", all strings, and \"priority\", 0-9; a payload that is not a string is published as "
          + "its JSON text; \"unique_key\", a string, enqueues the line's task only if no task of its queue holds "
          + "that key, as --unique-key does).",
      "Every task is checked before the first is sent (stdin is spooled to a temporary file meanwhile, so memory stays "
          + "bounded), and tasks go to the broker in atomic batches of "
          + PublishCommand.BATCH
          + ": a rejected task "
          + "(too large, bad type, invalid UTF-8) publishes nothing. Exits 1 with one line on stderr when a task is "
          + "rejected, the queue stays full for --timeout, or the broker is unreachable; when a reply was lost and the "
          + "outcome is unknown, that line says so and the ids in doubt follow on stderr."
    })
public final class PublishCommand implements Callable<Integer> {
  static final int BATCH = 500;
  static final int MAX_COUNT = 1_000_000;

  private final Supplier<AppSettings> app;
  private final BrokerSessions sessions;
  private final InputStream in;

  @Spec CommandSpec spec;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      description = "Task type; without it, tasks are read from stdin.")
  String type;

  @Option(
      names = "--queue",
      paramLabel = "NAME",
      converter = OpsSettings.Queue.class,
      description = "Queue (env DQ_QUEUE, default: ${DEFAULT-VALUE}).")
  String queue;

  @Option(names = "--payload", paramLabel = "TEXT", description = "Payload text (UTF-8).")
  String payload;

  @Option(names = "--payload-file", paramLabel = "PATH", description = "Payload bytes from a file.")
  Path payloadFile;

  @Option(
      names = "--count",
      paramLabel = "N",
      converter = OpsSettings.PublishCount.class,
      description = "How many tasks to publish with --type (default ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--delay",
      paramLabel = "DURATION",
      converter = OpsSettings.PublishDelay.class,
      description =
          "Make the tasks ready only after this long, measured on the broker's clock (the Redis server's "
              + "TIME), not this host's (default ${DEFAULT-VALUE}). Delayed tasks are sent one by one.")
  Duration delay;

  @Option(
      names = "--priority",
      paramLabel = "N",
      converter = OpsSettings.PublishPriority.class,
      description =
          "Priority of the tasks in their queue, 0-9, higher first (env DQ_PUBLISH_PRIORITY, default "
              + "${DEFAULT-VALUE}); stdin lines may give their own \"priority\".")
  int priority;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = OpsSettings.PublishTimeout.class,
      description =
          "How long to wait for room in a full queue (env DQ_PUBLISH_TIMEOUT, default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--unique-key",
      paramLabel = "KEY",
      description =
          "Enqueue the task only if no task of its queue holds KEY (1-256 characters); if one does, print "
              + "its id, say so on stderr and enqueue nothing (exit 0). With --type only (--count 1); "
              + "stdin lines give their own \"unique_key\".")
  String uniqueKey;

  @Option(
      names = "--unique-for",
      paramLabel = "DURATION",
      description =
          "Hold unique keys at least this long from the enqueue (broker's clock), even after the task"
              + " ends; longer while it still waits or runs.")
  String uniqueFor;

  @Option(
      names = "--unique-until",
      paramLabel = "done",
      description =
          "Hold unique keys until their task ends (succeeds, is cancelled or dies): the default.")
  String uniqueUntil;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only how many tasks were published, not their ids.")
  boolean quiet;

  /**
   * @param app the shared settings of the root command, resolved (and logging configured) when this
   *     command runs
   * @param sessions opens the broker once the settings are known
   */
  public PublishCommand(Supplier<AppSettings> app, BrokerSessions sessions, InputStream in) {
    this.app = app;
    this.sessions = sessions;
    this.in = in;
  }

  @Override
  public Integer call() {
    AppSettings shared = app.get();
    PublishSettings settings = settings();
    try (PublishSource tasks = settings.tasks(in, InstantSource.system())) {
      if (tasks.size() == 0) {
        throw new BadSettingException("nothing to publish: give --type, or JSON lines on stdin");
      }
      try (BrokerSession session = BrokerSession.open(sessions, shared)) {
        publish(session.broker(), tasks, settings, Math.min(BATCH, shared.queueCapacity()));
      }
    }
    return 0;
  }

  PublishSettings settings() {
    if (type != null && !SettingResolver.isName(type)) {
      throw SettingResolver.bad("--type", type, "a task type of 1-128 characters [A-Za-z0-9._:-]");
    }
    boolean countGiven = spec.commandLine().getParseResult().hasMatchedOption("--count");
    if (type == null && (payload != null || payloadFile != null || countGiven)) {
      throw new BadSettingException("--payload, --payload-file and --count need --type");
    }
    if (payload != null && payloadFile != null) {
      throw new BadSettingException("--payload and --payload-file cannot be combined");
    }
    if (payloadFile != null && !Files.isReadable(payloadFile)) {
      throw SettingResolver.bad("--payload-file", payloadFile.toString(), "a readable file");
    }
    return new PublishSettings(
        queue, type, payload, payloadFile, count, delay, timeout, priority, unique(countGiven));
  }

  /** The unique-key flags, checked. */
  private PublishSettings.Unique unique(boolean countGiven) {
    if (uniqueFor != null && uniqueUntil != null) {
      throw new BadSettingException("--unique-for and --unique-until cannot be combined");
    }
    if (uniqueUntil != null && !uniqueUntil.equals("done")) {
      throw SettingResolver.bad("--unique-until", uniqueUntil, "done");
    }
    Optional<Duration> window = Optional.empty();
    if (uniqueFor != null) {
      try {
        window = Optional.of(Durations.parse(uniqueFor));
      } catch (IllegalArgumentException e) {
        throw SettingResolver.bad("--unique-for", uniqueFor, "a positive duration (30s, 10m, 1d)");
      }
      if (window.get().isZero() || window.get().isNegative()) {
        throw SettingResolver.bad("--unique-for", uniqueFor, "a positive duration (30s, 10m, 1d)");
      }
    }
    if (uniqueKey == null) {
      if (type != null && (uniqueFor != null || uniqueUntil != null)) {
        throw new BadSettingException("--unique-for and --unique-until need --unique-key");
      }
      return new PublishSettings.Unique(null, window);
    }
    if (type == null) {
      throw new BadSettingException(
          "--unique-key needs --type; stdin lines give their own \"unique_key\"");
    }
    if (countGiven && count > 1) {
      throw new BadSettingException(
          "--unique-key publishes one task; --count " + count + " would enqueue at most one");
    }
    PublishSettings.Unique unique = new PublishSettings.Unique(uniqueKey, window);
    try {
      unique.of(uniqueKey);
    } catch (IllegalArgumentException e) {
      throw new BadSettingException("--unique-key: " + e.getMessage());
    }
    return unique;
  }

  private void publish(
      Broker broker, PublishSource tasks, PublishSettings settings, int batchSize) {
    PrintWriter out = spec.commandLine().getOut();
    int published = 0;
    String sending = settings.queue(); // queue of the call in flight
    try {
      if (tasks.anyUnique()) {
        UniqueTasks unique = uniqueTasks(broker);
        for (PublishSource.Publication p; (p = tasks.next()) != null; ) {
          sending = p.task().queue();
          published += publishOne(broker, unique, p, settings, out);
        }
      } else if (settings.delay().isZero()) {
        Batches batches = new Batches(() -> task(tasks.next()), batchSize);
        for (List<Task> batch; (batch = batches.next()) != null; ) {
          sending = batch.get(0).queue();
          broker.enqueueAll(batch, settings.timeout());
          published += printed(out, batch);
        }
      } else {
        // A relative delay, resolved on the broker's clock: a producer whose clock is off does not
        // move it.
        for (Task task; (task = task(tasks.next())) != null; ) {
          sending = task.queue();
          broker.enqueueIn(task, settings.delay(), settings.timeout());
          published += printed(out, List.of(task));
        }
      }
    } catch (OutcomeUnknownException e) {
      out.flush();
      throw unknown(e, published, tasks.size(), sending);
    } catch (QueueFullException e) {
      throw failed(
          "queue " + settings.queue() + " still full after " + Durations.format(settings.timeout()),
          published,
          tasks.size());
    } catch (BrokerUnavailableException e) {
      throw failed("broker unavailable: " + e.getMessage(), published, tasks.size());
    } catch (TaskQueueException | IllegalArgumentException e) {
      throw failed(e.getMessage(), published, tasks.size());
    } catch (UncheckedIOException e) {
      throw failed(e.getMessage(), published, tasks.size());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed("interrupted", published, tasks.size());
    }
    if (quiet) {
      out.println("published " + published);
    }
    out.flush();
  }

  private static Task task(PublishSource.Publication p) {
    return p == null ? null : p.task();
  }

  private static UniqueTasks uniqueTasks(Broker broker) {
    if (broker instanceof UniqueTasks unique) {
      return unique;
    }
    throw new CommandFailedException(
        "this broker does not offer unique keys; nothing was published");
  }

  /**
   * Publishes one task, through the unique path if it has a key; on a hit prints the holder's id
   * where the new id would go and says so on stderr.
   *
   * @return 1 if it was enqueued, else 0
   */
  private int publishOne(
      Broker broker,
      UniqueTasks unique,
      PublishSource.Publication p,
      PublishSettings settings,
      PrintWriter out)
      throws InterruptedException {
    if (p.uniqueKey() == null) {
      broker.enqueueIn(p.task(), settings.delay(), settings.timeout());
      return printed(out, List.of(p.task()));
    }
    UniqueOutcome outcome =
        unique.enqueueUnique(
            p.task(), settings.unique().of(p.uniqueKey()), settings.delay(), settings.timeout());
    if (outcome.enqueued()) {
      return printed(out, List.of(p.task()));
    }
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    err.println(
        "task "
            + outcome.id().value()
            + " already holds unique key "
            + SettingResolver.printable(p.uniqueKey())
            + "; nothing enqueued");
    err.flush();
    if (!quiet) {
      out.println(outcome.id().value());
    }
    return 0;
  }

  private int printed(PrintWriter out, List<Task> batch) {
    if (!quiet) {
      batch.forEach(t -> out.println(t.id().value()));
    }
    return batch.size();
  }

  /**
   * Consecutive tasks of one queue, at most {@link #BATCH} per batch (a broker batch names one
   * queue).
   */
  static List<List<Task>> batches(List<Task> tasks) {
    Iterator<Task> it = tasks.iterator();
    Batches batches = new Batches(() -> it.hasNext() ? it.next() : null, BATCH);
    List<List<Task>> all = new ArrayList<>();
    for (List<Task> batch; (batch = batches.next()) != null; ) {
      all.add(batch);
    }
    return all;
  }

  /**
   * Cuts a stream of tasks into batches of consecutive tasks of one queue, holding one batch at a
   * time.
   */
  static final class Batches {
    private final Supplier<Task> source;
    private final int size;
    private Task carried;

    /**
     * @param source the next task, or null after the last
     */
    Batches(Supplier<Task> source, int size) {
      this.source = source;
      this.size = size;
    }

    /** The next batch, or null after the last. */
    List<Task> next() {
      Task first = carried != null ? carried : source.get();
      carried = null;
      if (first == null) {
        return null;
      }
      List<Task> batch = new ArrayList<>(Math.min(size, 64));
      batch.add(first);
      while (batch.size() < size) {
        Task task = source.get();
        if (task == null) {
          break;
        }
        if (!task.queue().equals(first.queue())) {
          carried = task;
          break;
        }
        batch.add(task);
      }
      return batch;
    }
  }

  /**
   * The broker may or may not have taken the batch in flight: say so, with its ids (printed by
   * {@link Main}), so that nobody publishes them again blindly.
   */
  private static OutcomeUnknownException unknown(
      OutcomeUnknownException e, int published, int total, String queue) {
    int doubtful = e.ids().size();
    int unsent = total - published - doubtful;
    String sure =
        published == 0
            ? ""
            : "; " + published + " of " + total + " were published for sure (ids on stdout)";
    return new OutcomeUnknownException(
        "outcome unknown for "
            + doubtful
            + " tasks (ids below), which may or may not "
            + "have been published: "
            + e.getMessage()
            + sure
            + (unsent > 0 ? "; " + unsent + " were not sent" : "")
            + "; check with `dq stats --queue "
            + queue
            + "` (or look for their ids) before publishing them again",
        e.ids(),
        e);
  }

  private static CommandFailedException failed(String why, int published, int total) {
    return new CommandFailedException(
        why
            + (published == 0
                ? "; nothing was published"
                : "; published " + published + " of " + total + " tasks (their ids are above)"));
  }

  /**
   * Reads a payload file after checking its size, so that a huge file is rejected without being
   * loaded.
   */
  static byte[] readPayload(Path file) {
    try {
      long size = Files.size(file);
      if (size > TaskLimits.DEFAULT.maxPayloadBytes()) {
        throw new CommandFailedException(
            "--payload-file "
                + file
                + ": "
                + size
                + " bytes exceed the payload limit of "
                + TaskLimits.DEFAULT.maxPayloadBytes()
                + " bytes; nothing was published");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw SettingResolver.bad("--payload-file", file.toString(), "a readable file");
    }
  }

  /** What a task the user described breaks, as a command failure. */
  static CommandFailedException rejected(String where, InvalidTaskException e) {
    return new CommandFailedException(where + e.getMessage() + "; nothing was published");
  }
}
