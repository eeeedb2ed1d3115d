package dev.dq.app.dashboard;

import dev.dq.app.cron.CronCommand;
import dev.dq.core.port.Broker;
import dev.dq.core.schedule.Schedule;
import dev.dq.core.schedule.ScheduleEvent;
import dev.dq.core.schedule.ScheduleHost;
import dev.dq.core.schedule.ScheduleState;
import dev.dq.core.schedule.Schedules;
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
