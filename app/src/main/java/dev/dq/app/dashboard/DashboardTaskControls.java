package dev.dq.app.dashboard;

import dev.dq.core.lifecycle.DeleteOutcome;
import dev.dq.core.lifecycle.RunNowOutcome;
import dev.dq.core.lifecycle.TaskControls;
import dev.dq.core.port.Broker;
import dev.dq.core.task.TaskId;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task page's "Run now" and "Delete": the operations of {@code dq task retry} and {@code dq
 * task delete} ({@link TaskControls}); each writes one audit line, whatever the outcome (an unknown
 * task included, as for cancel).
 */
final class DashboardTaskControls {
  private static final Logger audit = LoggerFactory.getLogger("dev.dq.dashboard.audit");

  private final Broker broker;

  DashboardTaskControls(Broker broker) {
    this.broker = broker;
  }

  /** As {@code dq task retry ID --queue QUEUE}; returns what happened, for the page. */
  String runNow(String queue, TaskId id, String remote) {
    RunNowOutcome outcome = controls().runNow(queue, id);
    log("run-now", queue, id, remote, outcome);
    return switch (outcome) {
      case MADE_READY -> "task " + id.value() + " is ready now";
      case ALREADY_READY -> "task " + id.value() + " was ready already; nothing changed";
      case RUNNING -> "task " + id.value() + " is running; nothing changed";
      case FINISHED -> "task " + id.value() + " has finished; nothing changed";
      case DEAD -> "task " + id.value() + " is dead: requeue it from its dead letters";
      case NOT_FOUND -> "task " + id.value() + " not found in queue " + queue;
    };
  }

  /** As {@code dq task delete ID --queue QUEUE}; returns what happened, for the page. */
  String delete(String queue, TaskId id, String remote) {
    DeleteOutcome outcome = controls().delete(queue, id);
    log("delete", queue, id, remote, outcome);
    return switch (outcome) {
      case DELETED -> "task " + id.value() + " deleted: it will not run";
      case RECORD_DELETED -> "task " + id.value() + " had finished: its record is deleted";
      case RUNNING -> "task " + id.value() + " is running: cancel it instead; nothing changed";
      case DEAD -> "task " + id.value() + " is dead: delete it from its dead letters";
      case NOT_FOUND -> "task " + id.value() + " not found in queue " + queue;
    };
  }

  private TaskControls controls() {
    if (!(broker instanceof TaskControls c)) {
      throw new DashboardData.Unsupported("this broker does not run or delete tasks by id");
    }
    return c;
  }

  private static void log(String action, String queue, TaskId id, String remote, Enum<?> result) {
    audit.info(
        "action={} queue={} task={} remote={} result={}",
        action,
        queue,
        id.value(),
        remote,
        result.name().toLowerCase(Locale.ROOT));
  }
}
