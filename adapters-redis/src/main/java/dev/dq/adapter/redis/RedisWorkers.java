package dev.dq.adapter.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dq.core.ops.LiveWorker;
import dev.dq.core.ops.RunningTask;
import dev.dq.core.ops.WorkerStatus;
import dev.dq.core.task.TaskId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live worker processes on Redis: one hash, {@link RedisKeys#WORKERS}, outside every queue's
 * slot, changed and read only by {@code workers.lua} on that one key, with the broker's clock. Each
 * entry is {@code "<expires ms>|<beat ms>|<status JSON>"}; the JSON is {@code
 * {"host","pid","version","queues":[..],"slots_total","slots_busy","started_at_ms","running":[{"queue","id"}..]}}.
 */
final class RedisWorkers {
  private static final Logger log = LoggerFactory.getLogger(RedisWorkers.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RedisGateway redis;

  RedisWorkers(RedisGateway redis) {
    this.redis = redis;
  }

  void heartbeat(WorkerStatus status, Duration ttl) {
    Objects.requireNonNull(status, "status");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    redis.scriptRetryingOnce(
        "heartbeat of worker " + status.id(),
        Script.WORKERS,
        List.of(RedisKeys.WORKERS),
        List.of("beat", redis.now(), status.id(), Long.toString(ttl.toMillis()), encode(status)));
  }

  boolean deregister(String id) {
    Objects.requireNonNull(id, "id");
    Object n =
        redis.scriptRetryingOnce(
            "deregister worker " + id,
            Script.WORKERS,
            List.of(RedisKeys.WORKERS),
            List.of("drop", redis.now(), id));
    return ((Long) n) > 0;
  }

  List<LiveWorker> list() {
    List<?> reply =
        (List<?>)
            redis.scriptRetryingOnce(
                "list workers",
                Script.WORKERS,
                List.of(RedisKeys.WORKERS),
                List.of("list", redis.now()));
    List<LiveWorker> live = new ArrayList<>();
    for (int i = 1; i + 1 < reply.size(); i += 2) {
      String id = text(reply.get(i));
      String value = text(reply.get(i + 1));
      try {
        live.add(decode(id, value));
      } catch (RuntimeException | java.io.IOException e) {
        log.warn("skipping unreadable entry {} of {}: {}", id, RedisKeys.WORKERS, e.toString());
      }
    }
    live.sort(Comparator.comparing(w -> w.status().id()));
    return live;
  }

  static String encode(WorkerStatus s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("host", s.host());
    o.put("pid", s.pid());
    o.put("version", s.version());
    ArrayNode queues = o.putArray("queues");
    s.queues().forEach(queues::add);
    o.put("slots_total", s.slotsTotal());
    o.put("slots_busy", s.slotsBusy());
    o.put("started_at_ms", s.startedAt().toEpochMilli());
    ArrayNode running = o.putArray("running");
    for (RunningTask t : s.running()) {
      running.addObject().put("queue", t.queue()).put("id", t.id().value());
    }
    return o.toString();
  }

  static LiveWorker decode(String id, String value) throws java.io.IOException {
    int first = value.indexOf('|');
    int second = value.indexOf('|', first + 1);
    long expires = Long.parseLong(value.substring(0, first));
    long beat = Long.parseLong(value.substring(first + 1, second));
    JsonNode o = JSON.readTree(value.substring(second + 1));
    List<String> queues = new ArrayList<>();
    o.path("queues").forEach(q -> queues.add(q.asText()));
    List<RunningTask> running = new ArrayList<>();
    o.path("running")
        .forEach(
            t ->
                running.add(
                    new RunningTask(t.get("queue").asText(), new TaskId(t.get("id").asText()))));
    WorkerStatus status =
        new WorkerStatus(
            id,
            o.path("host").asText(""),
            o.path("pid").asLong(),
            o.path("version").asText("unknown"),
            queues,
            o.path("slots_total").asInt(),
            o.path("slots_busy").asInt(),
            Instant.ofEpochMilli(o.path("started_at_ms").asLong()),
            running);
    return new LiveWorker(status, Instant.ofEpochMilli(beat), Instant.ofEpochMilli(expires));
  }

  static String text(Object v) {
    return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(v);
  }
}
