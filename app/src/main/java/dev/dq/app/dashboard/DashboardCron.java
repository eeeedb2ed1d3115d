package dev.dq.app.dashboard;

import dev.dq.app.cron.CronCommand;
import dev.dq.core.port.Broker;
import dev.dq.core.schedule.Schedule;
import dev.dq.core.schedule.ScheduleEvent;
import dev.dq.core.schedule.ScheduleHost;
import dev.dq.core.schedule.ScheduleState;
import dev.dq.core.schedule.Schedules;
import dev.dq.core.schedule.UpsertOutcome;
import dev.dq.core.task.Task;
import dev.dq.cron.Cron;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cron schedules of every queue, and the operations of {@code dq cron trigger/pause/resume} on
 * them; each operation writes one audit line.
 */
final class DashboardCron {
  private static final Logger audit = LoggerFactory.getLogger("dev.dq.dashboard.audit");

  private final Broker broker;

  DashboardCron(Broker broker) {
    this.broker = broker;
  }

  /** Every queue's schedules, with the next tick and the latest recorded fire. */
  Map<String, Object> list() {
    Schedules schedules = schedules();
    TreeSet<String> queues = new TreeSet<>(broker.queues());
    queues.add(Task.DEFAULT_QUEUE);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String q : queues) {
      for (ScheduleState st : schedules.list(q)) {
        Schedule s = st.schedule();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("queue", s.queue());
        m.put("spec", s.spec().isCron() ? s.spec().cron() : "every " + s.spec().every());
        m.put("zone", s.zone().getId());
        m.put("type", s.type());
        m.put("paused", st.paused());
        m.put("next_tick", st.nextTick().toString());
        List<ScheduleEvent> last = schedules.history(s.queue(), s.name(), 1);
        if (!last.isEmpty()) {
          ScheduleEvent e = last.get(0);
          m.put("last_tick", e.tick().toString());
          m.put("last_outcome", e.outcome().name().toLowerCase(Locale.ROOT));
          m.put("last_task", e.taskId());
        }
        rows.add(m);
      }
    }
    return Map.of("schedules", rows);
  }

  /** As {@code dq cron trigger NAME --queue QUEUE}: enqueues one run now; returns its id. */
  String trigger(String queue, String name, String remote) throws InterruptedException {
    Schedules schedules = schedules();
    Schedule s = existing(schedules, queue, name);
    Task task = CronCommand.manualRun(s, schedules.now());
    broker.enqueue(task, Duration.ofSeconds(5));
    log("cron-trigger", queue, name, remote, task.id().value());
    return "schedule " + name + " triggered: task " + task.id().value();
  }

  /** As {@code dq cron pause NAME --queue QUEUE}. */
  String pause(String queue, String name, String remote) {
    Schedules schedules = schedules();
    existing(schedules, queue, name);
    boolean changed = schedules.pause(queue, name);
    log("cron-pause", queue, name, remote, changed ? "paused" : "was paused");
    return "schedule " + name + (changed ? " paused" : " was already paused");
  }

  /** As {@code dq cron resume NAME --queue QUEUE}: at its next tick from now. */
  String resume(String queue, String name, String remote) {
    Schedules schedules = schedules();
    existing(schedules, queue, name);
    boolean changed = Cron.resume(schedules, queue, name);
    log("cron-resume", queue, name, remote, changed ? "resumed" : "was not paused");
    return "schedule " + name + (changed ? " resumed" : " was not paused");
  }

  /**
   * As {@code dq cron add NAME --queue Q (--cron EXPR | --every D) --type T [--zone Z] [--payload
   * P]}: the fields {@code name}, {@code queue} (default {@code default}), {@code cron} or {@code
   * every}, {@code zone} (default UTC), {@code type}, {@code payload}; a bad one is a 400 naming
   * it.
   */
  String add(Map<String, String> fields, String remote) {
    Schedules schedules = schedules();
    Schedule s =
        CronCommand.schedule(
            "",
            new CronCommand.Draft(
                fields.getOrDefault("name", ""),
                given(fields, "queue").orElse(Task.DEFAULT_QUEUE),
                given(fields, "cron").orElse(null),
                given(fields, "every").orElse(null),
                given(fields, "zone").orElse("UTC"),
                fields.getOrDefault("type", ""),
                fields.getOrDefault("payload", ""),
                Map.of(),
                "skip",
                "allow"));
    UpsertOutcome outcome = Cron.add(schedules, s);
    String result = outcome.name().toLowerCase(Locale.ROOT);
    log("cron-add", s.queue(), s.name(), remote, result);
    return result + " schedule " + s.name() + " on queue " + s.queue();
  }

  /** As {@code dq cron remove NAME --queue QUEUE}. */
  String remove(String queue, String name, String remote) {
    Schedules schedules = schedules();
    if (!schedules.remove(queue, name)) {
      throw new DashboardServer.NotFound("no schedule " + name + " on queue " + queue);
    }
    log("cron-remove", queue, name, remote, "removed");
    return "schedule " + name + " removed";
  }

  /** One schedule, as {@code dq cron show} prints it, with its latest fires. */
  Map<String, Object> show(String queue, String name) {
    Schedules schedules = schedules();
    ScheduleState st =
        schedules
            .get(queue, name)
            .orElseThrow(
                () -> new DashboardServer.NotFound("no schedule " + name + " on queue " + queue));
    Map<String, Object> m = new LinkedHashMap<>(CronCommand.json(st));
    List<Map<String, Object>> fires = new ArrayList<>();
    for (ScheduleEvent e : schedules.history(queue, name, 10)) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("tick", e.tick().toString());
      f.put("outcome", e.outcome().name().toLowerCase(Locale.ROOT));
      f.put("task", e.taskId());
      fires.add(f);
    }
    m.put("history", fires);
    return m;
  }

  private static java.util.Optional<String> given(Map<String, String> fields, String name) {
    return java.util.Optional.ofNullable(fields.get(name))
        .map(String::trim)
        .filter(v -> !v.isEmpty());
  }

  private static Schedule existing(Schedules schedules, String queue, String name) {
    return schedules
        .get(queue, name)
        .orElseThrow(
            () -> new DashboardServer.NotFound("no schedule " + name + " on queue " + queue))
        .schedule();
  }

  private Schedules schedules() {
    if (!(broker instanceof ScheduleHost host)) {
      throw new DashboardData.Unsupported("this broker keeps no schedules");
    }
    return host.schedules();
  }

  private static void log(String action, String queue, String name, String remote, String result) {
    audit.info(
        "action={} queue={} schedule={} remote={} result={}", action, queue, name, remote, result);
  }
}
