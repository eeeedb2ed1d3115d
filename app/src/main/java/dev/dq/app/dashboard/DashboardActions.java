package dev.dq.app.dashboard;

import dev.dq.app.config.SettingResolver;
import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.TaskCancels;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterFilter;
import dev.dq.core.port.DeadLetterMark;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.QueuePauses;
import dev.dq.core.task.TaskId;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations a page may ask for, through the same ports as the matching {@code dq} command;
 * each writes one audit line (action, queue/task, remote address) to {@code
 * dev.dq.dashboard.audit}.
 */
final class DashboardActions {
  private static final Logger audit = LoggerFactory.getLogger("dev.dq.dashboard.audit");

  private final Broker broker;
  private final DeadLetterQueue dead;
  private final String by;

  /**
   * @param by who pauses a queue, as {@code dq queue pause} records it
   */
  DashboardActions(Broker broker, DeadLetterQueue dead, String by) {
    this.broker = broker;
    this.dead = dead;
    this.by = by;
  }

  /** As {@code dq queue pause QUEUE}; returns what happened, for the page. */
  String pause(String queue, String remote) {
    pauses().pause(queue, by + "@" + remote, "paused from the dashboard", Optional.empty());
    log("pause", queue, "", remote, "paused");
    return "queue " + queue + " paused";
  }

  /** As {@code dq queue resume QUEUE}. */
  String resume(String queue, String remote) {
    boolean was = pauses().resume(queue);
    log("resume", queue, "", remote, was ? "resumed" : "was not paused");
    return was ? "queue " + queue + " resumed" : "queue " + queue + " was not paused";
  }

  /** As {@code dq task cancel QUEUE ID}. */
  String cancel(String queue, TaskId id, String remote) {
    if (!(broker instanceof TaskCancels cancels)) {
      throw new DashboardData.Unsupported("this broker does not cancel tasks");
    }
    CancelOutcome outcome = cancels.cancel(queue, id);
    log("cancel", queue, id.value(), remote, outcome.name().toLowerCase(java.util.Locale.ROOT));
    return "cancel: " + outcome.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** As {@code dq dlq requeue ID --queue QUEUE}. */
  String requeue(String queue, TaskId id, String remote) {
    dead.requeue(queue, id);
    log("dlq-requeue", queue, id.value(), remote, "requeued");
    return "dead letter requeued";
  }

  /** As {@code dq dlq delete ID --queue QUEUE}. */
  String delete(String queue, TaskId id, String remote) {
    boolean deleted = dead.delete(queue, id);
    log("dlq-delete", queue, id.value(), remote, deleted ? "deleted" : "not found");
    return deleted ? "dead letter deleted" : "no such dead letter";
  }

  /**
   * As {@code dq dlq requeue --all --type T --error TEXT --mark MARK}: only the matches that were
   * dead when the page carrying {@code mark} was read.
   */
  String requeueAll(String queue, DeadLetterFilter filter, DeadLetterMark mark, String remote) {
    int n = dead.requeueAll(queue, filter, mark);
    logBulk("dlq-requeue-all", queue, filter, mark, remote, n);
    return n + " dead letters requeued";
  }

  /** As {@code dq dlq purge --type T --error TEXT --mark MARK}. */
  String purge(String queue, DeadLetterFilter filter, DeadLetterMark mark, String remote) {
    long n = dead.purge(queue, filter, mark);
    logBulk("dlq-purge", queue, filter, mark, remote, n);
    return n + " dead letters deleted";
  }

  private static void logBulk(
      String action,
      String queue,
      DeadLetterFilter filter,
      DeadLetterMark mark,
      String remote,
      long count) {
    audit.info(
        "action={} queue={} type=\"{}\" error=\"{}\" mark={} remote={} count={}",
        action,
        queue,
        SettingResolver.printable(filter.typeIfSet().orElse("")),
        SettingResolver.printable(filter.errorTextIfSet().orElse("")),
        mark.token(),
        remote,
        count);
  }

  private QueuePauses pauses() {
    if (!(broker instanceof QueuePauses p)) {
      throw new DashboardData.Unsupported("this broker does not pause queues");
    }
    return p;
  }

  private static void log(String action, String queue, String task, String remote, String result) {
    audit.info(
        "action={} queue={} task={} remote={} result={}", action, queue, task, remote, result);
  }
}
