package dev.dq.app.ops;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.CommandFailedException;
import dev.dq.app.config.Setting.Rule;
import dev.dq.app.config.SettingResolver;
import dev.dq.app.config.VersionProvider;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskLookup;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dq task}: one task, by its id: its state, its result, cancel it. */
@Command(
    name = "task",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header =
        "Acts on one task, by its id: show (its state), result (what its handler returned), cancel.",
    description =
        "Looks the task up by id on the broker, without scanning a queue: ready, delayed, active, retrying, dead, "
            + "succeeded or cancelled (finished tasks are kept for the queue's retention), or not found (exit 1).")
public final class TaskCommand implements Callable<Integer> {
  static final Rule<Duration> WAIT = Rule.duration(Duration.ZERO, Duration.ofDays(1));

  @Spec CommandSpec spec;

  /**
   * The {@code task} command with its subcommands; {@code app} and {@code sessions} as for {@link
   * PublishCommand}; {@code out} takes a result's bytes as they are.
   */
  public static CommandLine commandLine(
      Supplier<AppSettings> app, BrokerSessions sessions, PrintStream out) {
    CommandLine task = new CommandLine(new TaskCommand());
    task.addSubcommand("show", new ShowCommand(app, sessions));
    task.addSubcommand("result", new ResultCommand(app, sessions, out));
    task.addSubcommand("cancel", new TaskCancelCommand(app, sessions));
    task.addSubcommand("retry", new TaskControlCommands.RetryCommand(app, sessions));
    task.addSubcommand("delete", new TaskControlCommands.DeleteCommand(app, sessions));
    task.addSubcommand("list", new TaskListCommand(app, sessions));
    return task;
  }

  /** Without a subcommand there is nothing to do: show the usage, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** What every subcommand shares: the task's id and queue, settings, the broker session. */
  abstract static class Sub implements Callable<Integer> {
    private final Supplier<AppSettings> app;
    private final BrokerSessions sessions;

    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The task's id.")
    String id;

    @Option(
        names = "--queue",
        paramLabel = "QUEUE",
        description = "The task's queue (default: " + Task.DEFAULT_QUEUE + ").")
    String queue = Task.DEFAULT_QUEUE;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    TaskId taskId;

    Sub(Supplier<AppSettings> app, BrokerSessions sessions) {
      this.app = app;
      this.sessions = sessions;
    }

    @Override
    public final Integer call() {
      AppSettings shared = app.get();
      if (!SettingResolver.isName(queue)) {
        throw SettingResolver.bad(
            "--queue", queue, "a queue name of 1-128 characters [A-Za-z0-9._:-]");
      }
      try {
        taskId = new TaskId(id);
      } catch (IllegalArgumentException | InvalidTaskException e) {
        throw SettingResolver.bad("ID", id, "a task id (" + e.getMessage() + ")");
      }
      check();
      try (BrokerSession session = BrokerSession.open(sessions, shared)) {
        if (!(session.broker() instanceof TaskLookup lookup)) {
          throw new CommandFailedException(
              "broker " + shared.broker() + " cannot look up tasks by id");
        }
        return run(lookup);
      }
    }

    /** Checks the arguments before the broker is opened, so a usage error is the only line. */
    void check() {}

    abstract int run(TaskLookup lookup);

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    CommandFailedException notFound() {
      return new CommandFailedException("task " + id + " not found in queue " + queue);
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      header = "Shows a task's state, attempt, times, last error, worker and result size.")
  static final class ShowCommand extends Sub {
    ShowCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    int run(TaskLookup lookup) {
      TaskInfo info = lookup.find(queue, taskId).orElseThrow(this::notFound);
      if (json) {
        Json.println(out(), TaskView.json(info));
      } else {
        out().println(TaskView.text(info));
        out().flush();
      }
      return 0;
    }
  }

  @Command(
      name = "result",
      mixinStandardHelpOptions = true,
      header = "Prints what a succeeded task's handler returned, as it is (binary-safe).",
      description =
          "Exit 0 with the result on stdout (nothing if the handler returned none); exit 1 with one line on stderr "
              + "if the task is not found, has not finished (within --wait), or ended dead or cancelled.")
  static final class ResultCommand extends Sub {
    private final PrintStream raw;

    @Option(
        names = "--wait",
        paramLabel = "DURATION",
        description =
            "Wait up to DURATION for the task to end (0s to 24h, e.g. 30s); default: look once.")
    String waitFor;

    private Duration wait = Duration.ZERO;

    ResultCommand(Supplier<AppSettings> app, BrokerSessions sessions, PrintStream raw) {
      super(app, sessions);
      this.raw = raw;
    }

    @Override
    void check() {
      if (waitFor != null) {
        Duration d;
        try {
          d = WAIT.parser().apply(waitFor.trim());
        } catch (IllegalArgumentException e) {
          d = null;
        }
        if (d == null) {
          throw SettingResolver.bad("--wait", waitFor, WAIT.expected());
        }
        wait = d;
      }
    }

    @Override
    int run(TaskLookup lookup) {
      Optional<TaskInfo> ended;
      try {
        ended = lookup.await(queue, taskId, wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CommandFailedException("interrupted while waiting for task " + id);
      }
      if (ended.isEmpty()) {
        TaskInfo now = lookup.find(queue, taskId).orElseThrow(this::notFound);
        throw new CommandFailedException(
            "task "
                + id
                + " has not finished"
                + (wait.isZero() ? "" : " within " + waitFor.trim())
                + ": it is "
                + now.state().wireName());
      }
      TaskInfo info = ended.get();
      if (json) {
        Json.println(out(), TaskView.json(info));
      }
      if (info.state() != TaskState.SUCCEEDED) {
        throw new CommandFailedException(
            "task "
                + id
                + " ended "
                + info.state().wireName()
                + info.lastError().map(f -> ": " + f.errorType() + ": " + f.message()).orElse(""));
      }
      if (!json && info.result().isPresent()) {
        try {
          raw.write(info.result().get().bytes());
          raw.flush();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return 0;
    }
  }
}
