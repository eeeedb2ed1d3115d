package dev.dq.adapter.redis;

import dev.dq.core.lifecycle.Retention;
import dev.dq.core.lifecycle.Trimmed;
import dev.dq.core.task.Names;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Retention on Redis. The settings live in one hash, {@link #REGISTRY} (queue → {@code
 * finished_ms=..;finished_max=..;dead_ms=..;dead_max=..}, a missing field or queue meaning {@link
 * Retention#DEFAULT}'s value), read with single-key commands only, so it may sit on any cluster
 * slot; each process keeps a snapshot of it, read again at most {@link #REFRESH} after the last
 * read (on the broker's clock) and at once after this process changes it. Trimming is {@code
 * trim.lua}, all in the queue's slot, a bounded amount per call, so concurrent trims from many
 * processes are safe: each entry is removed once.
 */
final class RedisRetention {
  /** The hash of every queue's retention. */
  static final String REGISTRY = "dq:retention";

  /** Longest a snapshot of {@link #REGISTRY} is used before it is read again. */
  static final Duration REFRESH = Duration.ofSeconds(1);

  /** Most entries of each kind one trim call looks at. */
  static final int BATCH = 500;

  /** Most script runs of one trim call while only unique windows are being released. */
  private static final int MAX_SWEEPS = 10;

  private final RedisGateway redis;
  private final InstantSource clock;
  private volatile Snapshot snapshot = new Snapshot(Map.of(), null);

  private record Snapshot(Map<String, Retention> byQueue, Instant loadedAt) {}

  RedisRetention(RedisGateway redis, InstantSource clock) {
    this.redis = redis;
    this.clock = clock;
  }

  Retention of(String queue) {
    Names.check("queue", queue);
    Snapshot s = snapshot;
    if (s.loadedAt == null || !clock.instant().isBefore(s.loadedAt.plus(REFRESH))) {
      s = reload();
    }
    return s.byQueue.getOrDefault(queue, Retention.DEFAULT);
  }

  void set(String queue, Retention retention) {
    Names.check("queue", queue);
    String value = encode(retention);
    redis.call("set retention of " + queue, () -> redis.jedis().hset(REGISTRY, queue, value));
    reload();
  }

  Trimmed trim(String queue) {
    Retention r = of(queue);
    RedisKeys k = RedisKeys.of(queue);
    List<String> keys =
        List.of(
            k.finished(),
            k.records(),
            k.unique(),
            k.uniqueOf(),
            k.uniqueUntil(),
            k.dead(),
            k.tasks(),
            k.attempts(),
            k.failures(),
            k.dumps(),
            k.priorities(),
            k.errors(),
            k.started(),
            k.cancelled());
    long finished = 0;
    long dead = 0;
    for (int run = 0; run < MAX_SWEEPS; run++) {
      List<String> args =
          List.of(
              Long.toString(r.finishedFor().toMillis()),
              Long.toString(r.finishedMax()),
              Long.toString(r.deadFor().toMillis()),
              Long.toString(r.deadMax()),
              Integer.toString(BATCH),
              redis.now());
      List<?> counts =
          (List<?>) redis.scriptRetryingOnce("trim queue " + queue, Script.TRIM, keys, args);
      finished += (Long) counts.get(0);
      dead += (Long) counts.get(1);
      long released = (Long) counts.get(2);
      if (finished + dead > 0 || released < BATCH) {
        break; // the caller calls again while finished or dead ones go
      }
    }
    return new Trimmed(finished, dead);
  }

  private Snapshot reload() {
    Map<String, String> raw =
        redis.call("read retention settings", () -> redis.jedis().hgetAll(REGISTRY));
    Map<String, Retention> byQueue = new HashMap<>();
    raw.forEach((queue, value) -> byQueue.put(queue, decode(value)));
    Snapshot s = new Snapshot(Map.copyOf(byQueue), clock.instant());
    snapshot = s;
    return s;
  }

  static String encode(Retention r) {
    return "finished_ms="
        + r.finishedFor().toMillis()
        + ";finished_max="
        + r.finishedMax()
        + ";dead_ms="
        + r.deadFor().toMillis()
        + ";dead_max="
        + r.deadMax();
  }

  /**
   * Reads the documented format; a missing or unreadable field keeps the default's value, so a
   * hand-written {@code dead_max=10} is enough.
   */
  static Retention decode(String value) {
    Retention d = Retention.DEFAULT;
    long finishedMs = d.finishedFor().toMillis();
    long finishedMax = d.finishedMax();
    long deadMs = d.deadFor().toMillis();
    long deadMax = d.deadMax();
    for (String part : value.split(";")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = part.substring(0, eq).strip();
      long v;
      try {
        v = Long.parseLong(part.substring(eq + 1).strip());
      } catch (NumberFormatException e) {
        continue;
      }
      if (v < 0) {
        continue;
      }
      switch (name) {
        case "finished_ms" -> finishedMs = v;
        case "finished_max" -> finishedMax = v;
        case "dead_ms" -> deadMs = v;
        case "dead_max" -> deadMax = v;
        default -> {
          // an unknown field: a newer version's, ignored
        }
      }
    }
    return new Retention(
        Duration.ofMillis(finishedMs), finishedMax, Duration.ofMillis(deadMs), deadMax);
  }
}
