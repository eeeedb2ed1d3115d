package dev.dq.adapter.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.core.port.QueuePause;
import dev.dq.core.task.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses and resumes queues ({@code dq:{q}:paused}, see {@code pause.lua}, {@code resume.lua}, and
 * {@code claim.lua}, which enforces it), and tells this instance's listeners when it learns that a
 * queue is paused.
 */
final class Pauser {
  private static final Logger log = LoggerFactory.getLogger(Pauser.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RedisGateway redis;
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  Pauser(RedisGateway redis) {
    this.redis = redis;
  }

  QueuePause pause(String queue, String by, String reason, Optional<Duration> duration) {
    Names.check("queue", queue);
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(duration, "duration");
    duration.ifPresent(
        d -> {
          if (d.isNegative() || d.isZero() || d.toMillis() == 0) {
            throw new IllegalArgumentException("pause duration must be at least 1 ms: " + d);
          }
        });
    RedisKeys keys = RedisKeys.of(queue);
    String json =
        (String)
            redis.scriptRetryingOnce(
                "pause queue " + queue,
                Script.PAUSE,
                List.of(keys.paused()),
                List.of(
                    by,
                    reason,
                    duration.map(d -> Long.toString(d.toMillis())).orElse(""),
                    redis.now()));
    redis.register(queue); // listed by pauses() and dq queue list, even before its first task
    tell(queue);
    return decode(queue, json);
  }

  boolean resume(String queue) {
    Names.check("queue", queue);
    RedisKeys keys = RedisKeys.of(queue);
    Object r =
        redis.scriptRetryingOnce(
            "resume queue " + queue,
            Script.RESUME,
            levelKeys(List.of(keys.paused(), keys.ready(), keys.wakeups()), keys),
            List.of());
    return Long.valueOf(1).equals(r);
  }

  Optional<QueuePause> pauseOf(String queue) {
    Names.check("queue", queue);
    Object r =
        redis.scriptRetryingOnce(
            "read the pause of queue " + queue,
            Script.PAUSED,
            List.of(RedisKeys.of(queue).paused()),
            List.of(redis.now()));
    return r == null ? Optional.empty() : Optional.of(decode(queue, (String) r));
  }

  List<QueuePause> pauses(List<String> queues) {
    List<QueuePause> out = new ArrayList<>();
    for (String q : queues) {
      pauseOf(q).ifPresent(out::add);
    }
    return out;
  }

  void addListener(Consumer<String> listener) {
    listeners.add(Objects.requireNonNull(listener, "onPaused"));
  }

  /** This instance learned that {@code queue} is paused: tells the listeners. */
  void tell(String queue) {
    for (Consumer<String> l : listeners) {
      try {
        l.accept(queue);
      } catch (RuntimeException e) {
        log.warn("pause listener failed for queue {}", queue, e);
      }
    }
  }

  /** The stored JSON as a pause; fields written by hand that do not parse count as missing. */
  static QueuePause decode(String queue, String json) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      n = JSON.createObjectNode();
    }
    if (n == null || !n.isObject()) {
      n = JSON.createObjectNode();
    }
    Optional<Instant> until =
        n.path("until").canConvertToLong()
            ? Optional.of(Instant.ofEpochMilli(n.path("until").asLong()))
            : Optional.empty();
    return new QueuePause(
        queue,
        n.path("by").asText(""),
        n.path("reason").asText(""),
        Instant.ofEpochMilli(n.path("at").asLong(0)),
        until);
  }

  /** {@code first}, then the queue's priority levels' block (_levels.lua), at KEYS[#first + 1]. */
  private static List<String> levelKeys(List<String> first, RedisKeys keys) {
    var all = new java.util.ArrayList<String>(first);
    all.addAll(keys.levelBlock());
    return all;
  }
}
