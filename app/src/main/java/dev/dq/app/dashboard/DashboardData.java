package dev.dq.app.dashboard;

import dev.dq.app.ops.QueueCommand;
import dev.dq.app.ops.QueueRetentionCommand;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskLookup;
import dev.dq.core.lifecycle.TaskRetention;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.ops.LiveWorker;
import dev.dq.core.ops.RunningTask;
import dev.dq.core.ops.TaskBrowser;
import dev.dq.core.ops.TaskPage;
import dev.dq.core.ops.Throughput;
import dev.dq.core.ops.ThroughputCounts;
import dev.dq.core.ops.ThroughputPoint;
import dev.dq.core.ops.WorkerRegistry;
import dev.dq.core.ops.WorkerStatus;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.DeadLetterFilter;
import dev.dq.core.port.DeadLetterMark;
import dev.dq.core.port.DeadLetterPage;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.QueuePause;
import dev.dq.core.port.QueuePauses;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the pages and the API show, read through the same ports as the CLI ({@code dq stats}, {@code
 * dq task}, {@code dq dlq}, {@code dq workers}, {@code dq throughput}), as JSON-ready maps with
 * snake_case keys. Every list is one broker-side page.
 */
final class DashboardData {
  static final int MAX_LIMIT = TaskBrowser.MAX_LIMIT;
  static final int MINUTES = Throughput.MAX_MINUTES;

  /** Payloads and results longer than this many characters are cut in pages and answers. */
  static final int PAYLOAD_CAP = 64 * 1024;

  private final Broker broker;
  private final DeadLetterQueue dead;
  private final InstantSource clock;

  DashboardData(Broker broker, DeadLetterQueue dead, InstantSource clock) {
    this.broker = broker;
    this.dead = dead;
    this.clock = clock;
  }

  /** The broker it reads, for the pages' own operations ({@link DashboardLimits}, ...). */
  Broker broker() {
    return broker;
  }

  /** Every queue's counts and pause, and the summed throughput per minute of the last hour. */
  Map<String, Object> overview() {
    TreeSet<String> names = new TreeSet<>(broker.queues());
    names.add(Task.DEFAULT_QUEUE);
    List<Map<String, Object>> queues = new ArrayList<>();
    TreeMap<Instant, ThroughputCounts> perMinute = new TreeMap<>();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    for (int i = MINUTES - 1; i >= 0; i--) {
      perMinute.put(now.minus(i, ChronoUnit.MINUTES), ThroughputCounts.NONE);
    }
    for (String q : names) {
      QueueStats s = broker.stats(q);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("queue", q);
      row.put("ready", s.ready());
      row.put("active", s.inFlight());
      row.put("delayed", s.delayed());
      row.put("dead", dead.size(q));
      row.put("paused", pauseOf(q).isPresent());
      queues.add(row);
      if (broker instanceof Throughput t) {
        for (ThroughputPoint p : t.history(q, MINUTES)) {
          perMinute.computeIfPresent(p.minute(), (m, c) -> c.plus(p.counts()));
        }
      }
    }
    List<Map<String, Object>> minutes = new ArrayList<>();
    perMinute.forEach(
        (minute, c) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("minute", minute.toString());
          m.put("processed", c.processed());
          m.put("failed", c.failed());
          m.put("dead", c.dead());
          minutes.add(m);
        });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("time", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
    out.put("queues", queues);
    out.put("throughput", minutes);
    return out;
  }

  Optional<QueuePause> pauseOf(String queue) {
    return broker instanceof QueuePauses p ? p.pauseOf(queue) : Optional.empty();
  }

  /** How a queue is paused (by, reason, since, until), or {@code paused: false}. */
  Map<String, Object> pause(String queue) {
    return pauseOf(queue)
        .map(QueueCommand::json)
        .orElseGet(
            () -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("queue", queue);
              m.put("paused", false);
              return m;
            });
  }

  /** A queue's retention, as {@code dq queue retention Q --json}. */
  Map<String, Object> retention(String queue) {
    if (!(broker instanceof TaskRetention r)) {
      throw new Unsupported("this broker keeps no ended tasks to retain");
    }
    return QueueRetentionCommand.json(queue, r.retentionOf(queue));
  }

  /** One page of a queue's tasks in one state. */
  Map<String, Object> tasks(String queue, TaskState state, long offset, int limit) {
    if (!(broker instanceof TaskBrowser browser)) {
      throw new Unsupported("this broker does not list tasks");
    }
    TaskPage page = browser.list(queue, state, offset, limit);
    List<Map<String, Object>> rows = new ArrayList<>();
    page.tasks().forEach(t -> rows.add(task(t, false)));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("queue", queue);
    out.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
    out.put("offset", offset);
    out.put("limit", limit);
    out.put("total", page.total());
    out.put("tasks", rows);
    return out;
  }

  /** One task with its payload and result (each capped), if the broker knows it. */
  Optional<Map<String, Object>> task(String queue, TaskId id) {
    if (!(broker instanceof TaskLookup lookup)) {
      throw new Unsupported("this broker does not look tasks up");
    }
    return lookup.find(queue, id).map(t -> task(t, true));
  }

  /** One page of a queue's dead letters, oldest first. */
  /**
   * A page of dead letters by offset (unfiltered). The mark is taken before the read, so a bulk
   * action with it never touches an entry that died after the page was read.
   */
  Map<String, Object> deadLetters(String queue, int offset, int limit) {
    DeadLetterMark mark = dead.mark(queue);
    List<DeadLetter> entries = dead.list(queue, offset, limit);
    Map<String, Object> out = deadPage(queue, DeadLetterFilter.ALL, offset, limit, mark, entries);
    out.put("cursor", null);
    out.put("next_cursor", null);
    return out;
  }

  /**
   * One bounded step of a filtered listing from {@code cursor} ({@link DeadLetterQueue#find}): at
   * most {@link DeadLetterQueue#SCAN_LIMIT} entries looked at, with the mark read with the page.
   */
  Map<String, Object> deadLetters(String queue, DeadLetterFilter filter, String cursor, int limit) {
    DeadLetterPage page = dead.find(queue, filter, cursor, limit);
    Map<String, Object> out = deadPage(queue, filter, 0, limit, page.mark(), page.entries());
    out.put("cursor", cursor);
    out.put("next_cursor", page.end() ? null : page.nextCursor());
    out.put("scanned", page.scanned());
    return out;
  }

  private Map<String, Object> deadPage(
      String queue,
      DeadLetterFilter filter,
      int offset,
      int limit,
      DeadLetterMark mark,
      List<DeadLetter> entries) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("queue", queue);
    out.put("type", filter.type());
    out.put("error", filter.errorText());
    out.put("offset", offset);
    out.put("limit", limit);
    out.put("total", dead.size(queue));
    out.put("mark", mark.token());
    out.put("dead_letters", entries.stream().map(d -> deadLetter(d, false)).toList());
    return out;
  }

  Optional<Map<String, Object>> deadLetter(String queue, TaskId id) {
    return dead.get(queue, id).map(d -> deadLetter(d, true));
  }

  /** The live worker processes. */
  Map<String, Object> workers() {
    if (!(broker instanceof WorkerRegistry registry)) {
      throw new Unsupported("this broker does not list worker processes");
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (LiveWorker w : registry.list()) {
      WorkerStatus s = w.status();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", s.id());
      m.put("host", s.host());
      m.put("pid", s.pid());
      m.put("version", s.version());
      m.put("queues", s.queues());
      m.put("slots_busy", s.slotsBusy());
      m.put("slots_total", s.slotsTotal());
      m.put("started_at", s.startedAt().toString());
      m.put("last_heartbeat", w.lastHeartbeat().toString());
      List<Map<String, Object>> running = new ArrayList<>();
      for (RunningTask t : s.running()) {
        running.add(Map.of("queue", t.queue(), "id", t.id().value()));
      }
      m.put("running", running);
      rows.add(m);
    }
    return Map.of("workers", rows);
  }

  static Map<String, Object> task(TaskInfo t, boolean full) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id().value());
    m.put("queue", t.queue());
    m.put("state", t.state().name().toLowerCase(java.util.Locale.ROOT));
    m.put("type", t.type());
    m.put("attempt", t.attempt());
    m.put("priority", t.priority());
    m.put("created_at", t.createdAt().toString());
    t.startedAt().ifPresent(i -> m.put("started_at", i.toString()));
    t.finishedAt().ifPresent(i -> m.put("finished_at", i.toString()));
    t.worker().ifPresent(w -> m.put("worker", w));
    t.lastError()
        .ifPresent(
            f -> {
              Map<String, Object> e = new LinkedHashMap<>();
              e.put("error_type", f.errorType());
              e.put("message", f.message());
              e.put("attempts", f.attempts());
              e.put("failed_at", f.failedAt().toString());
              m.put("error", e);
            });
    if (full) {
      m.put("headers", new TreeMap<>(t.headers()));
      t.payload().ifPresent(p -> putPayload(m, "payload", p));
      t.result().ifPresent(p -> putPayload(m, "result", p));
    }
    return m;
  }

  static Map<String, Object> deadLetter(DeadLetter d, boolean full) {
    Task t = d.task();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id().value());
    m.put("queue", t.queue());
    m.put("type", t.type());
    m.put("attempts", d.failure().attempts());
    m.put("failed_at", d.failure().failedAt().toString());
    m.put("error_type", d.failure().errorType());
    m.put("message", d.failure().message());
    m.put("created_at", t.createdAt().toString());
    if (full) {
      m.put("headers", new TreeMap<>(t.headers()));
      putPayload(m, "payload", t.payload());
    }
    return m;
  }

  private static void putPayload(Map<String, Object> m, String key, Payload p) {
    String text = p.asUtf8();
    m.put(key + "_bytes", p.size());
    m.put(key + "_truncated", text.length() > PAYLOAD_CAP);
    m.put(key, text.length() > PAYLOAD_CAP ? text.substring(0, PAYLOAD_CAP) : text);
  }

  /** The broker lacks the capability a page needs. */
  static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unsupported(String message) {
      super(message);
    }
  }
}
