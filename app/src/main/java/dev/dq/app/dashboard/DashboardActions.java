package dev.dq.app.dashboard;

import dev.dq.app.config.SettingResolver;
import dev.dq.app.ops.QueueCommand;
import dev.dq.app.ops.QueueRetentionCommand;
import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.Retention;
import dev.dq.core.lifecycle.TaskCancels;
import dev.dq.core.lifecycle.TaskRetention;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterFilter;
import dev.dq.core.port.DeadLetterMark;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.QueuePause;
import dev.dq.core.port.QueuePauses;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.util.Map;
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

  /**
   * As {@code dq queue pause QUEUE [--for DURATION] [--reason TEXT]}; returns what happened, for
   * the page.
   */
  String pause(String queue, Optional<String> duration, Optional<String> reason, String remote) {
    Optional<Duration> until = QueueCommand.pauseFor("for", duration.orElse(null));
    String why = QueueCommand.pauseReason("reason", reason.orElse(null));
    QueuePause p =
        pauses()
            .pause(
                queue, by + "@" + remote, why.isEmpty() ? "paused from the dashboard" : why, until);
    log("pause", queue, "", remote, "paused" + p.until().map(u -> " until " + u).orElse(""));
    return "queue " + queue + " paused" + p.until().map(u -> " until " + u).orElse("");
  }

  /**
   * As {@code dq queue retention QUEUE [--finished-for D] [--finished-max N] [--dead-for D]
   * [--dead-max N]}: the fields given change, the others keep their values.
   */
  String retention(String queue, Map<String, String> fields, String remote) {
    if (!(broker instanceof TaskRetention retention)) {
      throw new DashboardData.Unsupported("this broker keeps no ended tasks to retain");
    }
    QueueRetentionCommand.Changes changes =
        new QueueRetentionCommand.Changes(
            blankless(fields.get("finished-for")),
            count(fields, "finished-max"),
            blankless(fields.get("dead-for")),
            count(fields, "dead-max"),
            "");
    Retention r = changes.applyTo(retention.retentionOf(queue));
    if (changes.any()) {
      retention.setRetention(queue, r);
    }
    String text =
        "queue "
            + queue
            + (changes.any() ? " now keeps" : " keeps")
            + " finished tasks for "
            + QueueRetentionCommand.human(r.finishedFor())
            + " (at most "
            + r.finishedMax()
            + "), dead letters for "
            + QueueRetentionCommand.human(r.deadFor())
            + " (at most "
            + r.deadMax()
            + ")";
    log("retention", queue, "", remote, changes.any() ? "set" : "unchanged");
    return text;
  }

  private static String blankless(String v) {
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static Long count(Map<String, String> fields, String name) {
    String v = blankless(fields.get(name));
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw SettingResolver.bad(name, v, "a whole number >= 0");
    }
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
