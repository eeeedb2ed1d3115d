package dev.dq.app.ops;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.CommandFailedException;
import dev.dq.core.lifecycle.DeleteOutcome;
import dev.dq.core.lifecycle.RunNowOutcome;
import dev.dq.core.lifecycle.TaskControls;
import dev.dq.core.lifecycle.TaskLookup;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;

/**
 * {@code dq task retry ID} and {@code dq task delete ID}: run a delayed or retrying task now,
 * delete a waiting task or a finished one's record ({@link TaskControls}). Exit 0 when it was done;
 * exit 1, one line, when nothing changed.
 */
final class TaskControlCommands {
  private TaskControlCommands() {}

  /** What both share: the broker's {@link TaskControls}, and the line or JSON of a success. */
  abstract static class Control extends TaskCommand.Sub {
    Control(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    final int run(TaskLookup lookup) {
      if (!(lookup instanceof TaskControls controls)) {
        throw new CommandFailedException("this broker cannot run or delete a task by id");
      }
      return run(controls);
    }

    abstract int run(TaskControls controls);

    String where() {
      return "task " + id + " of queue " + queue;
    }

    int done(Enum<?> outcome, String text) {
      PrintWriter out = out();
      if (json) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("queue", queue);
        value.put("id", id);
        value.put("outcome", outcome.name().toLowerCase(Locale.ROOT));
        Json.println(out, value);
      } else {
        out.println(text);
        out.flush();
      }
      return 0;
    }

    CommandFailedException unchanged(String why) {
      return new CommandFailedException(where() + " " + why + "; nothing changed");
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      header = "Runs a delayed or retrying task now.",
      description =
          "The task becomes ready at once, keeping its attempt count and priority; a type limit still "
              + "governs it. Exit 0: it is ready now; 1: it was ready already, runs, has finished, "
              + "is dead (requeue it with dq dlq requeue) or is not known.")
  static final class RetryCommand extends Control {
    RetryCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    int run(TaskControls controls) {
      RunNowOutcome outcome = controls.runNow(queue, taskId);
      return switch (outcome) {
        case MADE_READY -> done(outcome, where() + " is ready now: the next free worker runs it");
        case ALREADY_READY -> throw unchanged("is ready already");
        case RUNNING -> throw unchanged("is running");
        case FINISHED -> throw unchanged("has finished");
        case DEAD ->
            throw unchanged("is dead: requeue it with dq dlq requeue " + id + " --queue " + queue);
        case NOT_FOUND -> throw notFound();
      };
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      header = "Deletes a waiting task, or a finished task's record.",
      description =
          "A waiting task (ready, delayed, retrying, held back by a limit) is removed as if never "
              + "enqueued, its unique key freed; a finished one (succeeded, cancelled) loses its record. "
              + "Exit 0: deleted; 1: it is running (cancel it instead), dead (dq dlq delete) or not known.")
  static final class DeleteCommand extends Control {
    DeleteCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
      super(app, sessions);
    }

    @Override
    int run(TaskControls controls) {
      DeleteOutcome outcome = controls.delete(queue, taskId);
      return switch (outcome) {
        case DELETED -> done(outcome, where() + " deleted: it will not run");
        case RECORD_DELETED -> done(outcome, where() + " had finished: its record is deleted");
        case RUNNING ->
            throw unchanged(
                "is running: cancel it instead (dq task cancel " + id + " --queue " + queue + ")");
        case DEAD ->
            throw unchanged("is dead: delete it with dq dlq delete " + id + " --queue " + queue);
        case NOT_FOUND -> throw notFound();
      };
    }
  }
}
