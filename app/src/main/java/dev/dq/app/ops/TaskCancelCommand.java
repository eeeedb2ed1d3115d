package dev.dq.app.ops;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.CommandFailedException;
import dev.dq.app.config.SettingResolver;
import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.TaskCancels;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskLookup;
import dev.dq.core.port.Broker;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dq task cancel ID}: cancels one task. Exit 0 when it is cancelled (it was waiting) or its
 * cancel is requested (it runs: its worker interrupts it within 250 ms plus broker round trips);
 * exit 1, one line, when it has ended already or is not known.
 */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    header = "Cancels a task: a waiting one never runs, a running one is interrupted.",
    description =
        "A waiting task (ready, delayed, retrying, held back by a limit) is cancelled at once. A running task is "
            + "marked: its worker interrupts the handler within 250 ms plus a few broker round trips "
            + "and the attempt ends as cancelled, not retried; if that worker is gone, the task ends as "
            + "cancelled when its lease expires. "
            + "Exit 0: cancelled or requested; 1: the task has ended already or is not known.")
final class TaskCancelCommand implements Callable<Integer> {
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

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  TaskCancelCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
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
    if (!SettingResolver.isName(id)) {
      throw SettingResolver.bad("ID", id, "a task id of 1-128 characters [A-Za-z0-9._:-]");
    }
    try (BrokerSession session = BrokerSession.open(sessions, shared)) {
      Broker broker = session.broker();
      if (!(broker instanceof TaskCancels cancels)) {
        throw new CommandFailedException("broker " + shared.broker() + " cannot cancel tasks");
      }
      TaskId taskId = new TaskId(id);
      CancelOutcome outcome = cancels.cancel(queue, taskId);
      String where = "task " + id + " of queue " + queue;
      return switch (outcome) {
        case CANCELLED -> done(outcome, where + " cancelled: it will not run");
        case REQUESTED ->
            done(outcome, where + " is running: cancel requested, its worker interrupts it");
        case ALREADY_ENDED ->
            throw new CommandFailedException(
                where + " has ended already" + endedState(broker, taskId) + "; nothing changed");
        case NOT_FOUND -> throw new CommandFailedException(where + " not found");
      };
    }
  }

  private int done(CancelOutcome outcome, String text) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("queue", queue);
      value.put("id", id);
      value.put("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT));
      Json.println(out, value);
    } else {
      out.println(text);
      out.flush();
    }
    return 0;
  }

  /** " (succeeded)" and so on where the broker can look the task up, else nothing. */
  private String endedState(Broker broker, TaskId taskId) {
    if (!(broker instanceof TaskLookup lookup)) {
      return " (succeeded, cancelled or dead)";
    }
    try {
      Optional<TaskInfo> info = lookup.find(queue, taskId);
      return info.map(i -> " (" + i.state().wireName() + ")").orElse("");
    } catch (RuntimeException e) { // the outcome is known; the state only adds detail
      return " (succeeded, cancelled or dead)";
    }
  }
}
