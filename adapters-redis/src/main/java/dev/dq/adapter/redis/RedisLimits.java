package dev.dq.adapter.redis;

import dev.dq.core.limit.Limit;
import dev.dq.core.limit.LimitReason;
import dev.dq.core.limit.LimitTarget;
import dev.dq.core.limit.LimitedClaims;
import dev.dq.core.limit.Rate;
import dev.dq.core.port.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Global limits on Redis. The limits themselves live in one hash, {@code dq:limits} (target key →
 * {@code rate=50;per_ms=1000;burst=5;concurrency=3}), read with single-key commands only, so it may
 * sit on any cluster slot. Each process keeps a snapshot of it, reloaded at most {@link #REFRESH}
 * after the last load and at once after this process changes it, and passes the limits that apply
 * to a queue to its claim script with the keys of their state, all in the queue's slot (see {@code
 * _limits.lua}): admission is atomic there, on server time.
 */
final class RedisLimits {
  /** The hash of every limit. */
  static final String REGISTRY = "dq:limits";

  /** Longest a snapshot of {@link #REGISTRY} is used before it is read again. */
  static final Duration REFRESH = Duration.ofSeconds(1);

  private final RedisGateway redis;
  private final Map<String, LongAdder> limited = new ConcurrentHashMap<>();
  private volatile Snapshot snapshot =
      new Snapshot(Map.of(), Long.MIN_VALUE, new ConcurrentHashMap<>());

  RedisLimits(RedisGateway redis) {
    this.redis = redis;
  }

  /**
   * The limits as last read, when ({@link RedisGateway#elapsedMillis}), and what {@link #forClaim}
   * built from them per queue.
   */
  private record Snapshot(
      Map<LimitTarget, Limit> limits, long loadedAt, Map<String, ClaimPart> claimParts) {
    boolean stale(long nowMillis) {
      return loadedAt == Long.MIN_VALUE || nowMillis - loadedAt > REFRESH.toMillis();
    }
  }

  /** What a claim of one queue passes for its limits: keys after KEYS[12], and ARGV[7]. */
  record ClaimPart(List<String> keys, String arg) {}

  void set(Limit limit) {
    redis.call(
        "set limit " + limit.target(),
        () -> redis.jedis().hset(REGISTRY, limit.target().key(), encode(limit)));
    reload();
  }

  boolean remove(LimitTarget target) {
    long removed =
        redis.call("remove limit " + target, () -> redis.jedis().hdel(REGISTRY, target.key()));
    reload();
    return removed > 0;
  }

  List<Limit> all() {
    return List.copyOf(reload().values());
  }

  List<LimitedClaims> counts() {
    List<LimitedClaims> out = new ArrayList<>();
    new TreeMap<>(limited)
        .forEach(
            (k, v) -> {
              int slash = k.lastIndexOf('/');
              out.add(
                  new LimitedClaims(
                      k.substring(0, slash), LimitReason.valueOf(k.substring(slash + 1)), v.sum()));
            });
    return out;
  }

  /** Counts a claim of {@code queue} that a limit held back ({@code reason} as the script says). */
  void heldBack(String queue, String reason) {
    LimitReason r = "rate".equals(reason) ? LimitReason.RATE : LimitReason.CONCURRENCY;
    limited.computeIfAbsent(queue + "/" + r.name(), k -> new LongAdder()).increment();
  }

  private Snapshot currentSnapshot() {
    Snapshot s = snapshot;
    if (s.stale(redis.elapsedMillis())) {
      reload();
      s = snapshot;
    }
    return s;
  }

  private Map<LimitTarget, Limit> reload() {
    Map<String, String> raw = redis.call("read limits", () -> redis.jedis().hgetAll(REGISTRY));
    Map<LimitTarget, Limit> limits = new TreeMap<>();
    raw.forEach(
        (k, v) -> {
          try {
            LimitTarget target = LimitTarget.parse(k);
            limits.put(target, decode(target, v));
          } catch (IllegalArgumentException e) {
            // written by hand or by a newer version: not ours to obey or to fail on
          }
        });
    Map<LimitTarget, Limit> loaded = Map.copyOf(limits);
    Snapshot old = snapshot;
    snapshot =
        new Snapshot(
            loaded,
            redis.elapsedMillis(),
            loaded.equals(old.limits) ? old.claimParts : new ConcurrentHashMap<>());
    return limits;
  }

  /**
   * The part of a claim of {@code keys}' queue that its limits need; nothing when none applies.
   * Built once per queue and set of limits: a claim is on the hot path.
   */
  ClaimPart forClaim(RedisKeys keys) {
    Snapshot s = currentSnapshot();
    return s.claimParts.computeIfAbsent(keys.queue(), q -> build(keys, s.limits));
  }

  private static ClaimPart build(RedisKeys keys, Map<LimitTarget, Limit> limits) {
    List<String> claimKeys = new ArrayList<>(List.of(keys.limitParked(), keys.limitRate()));
    if (limits.isEmpty()) {
      return new ClaimPart(List.copyOf(claimKeys), "");
    }
    StringBuilder json = new StringBuilder("{");
    Limit q = limits.get(LimitTarget.queue(keys.queue()));
    if (q != null) {
      json.append("\"q\":").append(spec(q));
    }
    StringBuilder types = new StringBuilder();
    for (Limit l : limits.values()) {
      if (l.target().scope() != LimitTarget.Scope.TYPE) {
        continue;
      }
      String t = l.target().name();
      claimKeys.add(keys.limitTypeRate(t));
      claimKeys.add(keys.limitTypeLeases(t));
      claimKeys.add(keys.limitParked(t));
      types.append(types.length() == 0 ? "" : ",");
      types.append("[\"").append(t).append("\",").append(spec(l).substring(1));
    }
    if (types.length() > 0) {
      json.append(q != null ? "," : "").append("\"t\":[").append(types).append(']');
    } else if (q == null) {
      return new ClaimPart(List.copyOf(claimKeys), "");
    }
    return new ClaimPart(List.copyOf(claimKeys), json.append('}').toString());
  }

  /** {@code [interval ms, tolerance ms, concurrency]}, 0 for what is not limited. */
  private static String spec(Limit l) {
    double interval = 0;
    double tolerance = 0;
    if (l.rate().isPresent()) {
      Rate r = l.rate().get();
      interval = Math.max(1, r.intervalMicros()) / 1000.0;
      tolerance = interval * r.burst();
    }
    return String.format(
        Locale.ROOT, "[%.3f,%.3f,%d]", interval, tolerance, l.concurrency().orElse(0));
  }

  /**
   * After settles of {@code leases}: if a concurrency limit may apply to one, wake one waiting
   * claim of its queue (a freed permit), once per queue.
   */
  void settled(Collection<Lease> leases) {
    Map<LimitTarget, Limit> limits = snapshot.limits;
    if (limits.isEmpty()) {
      return;
    }
    Set<String> woken = new HashSet<>();
    for (Lease lease : leases) {
      String queue = lease.task().queue();
      if (woken.contains(queue)) {
        continue;
      }
      if (hasConcurrency(limits.get(LimitTarget.queue(queue)))
          || hasConcurrency(limits.get(LimitTarget.type(lease.task().type())))) {
        woken.add(queue);
        redis.script(
            "wake a claim of " + queue,
            Script.LIMIT_WAKE,
            List.of(RedisKeys.of(queue).wakeups()),
            List.of());
      }
    }
  }

  private static boolean hasConcurrency(Limit l) {
    return l != null && l.concurrency().isPresent();
  }

  /** Ids of {@code queue} held back in the parked lists of closed types. */
  long parked(String queue) {
    return (Long)
        redis.scriptRetryingOnce(
            "count held-back tasks of " + queue,
            Script.LIMIT_PARKED,
            List.of(RedisKeys.of(queue).limitParked()),
            List.of());
  }

  static String encode(Limit limit) {
    StringBuilder b = new StringBuilder();
    limit
        .rate()
        .ifPresent(
            r ->
                b.append("rate=")
                    .append(r.permits())
                    .append(";per_ms=")
                    .append(r.per().toMillis())
                    .append(";burst=")
                    .append(r.burst()));
    limit
        .concurrency()
        .ifPresent(c -> b.append(b.length() == 0 ? "" : ";").append("concurrency=").append(c));
    return b.toString();
  }

  static Limit decode(LimitTarget target, String value) {
    Map<String, Long> f = new TreeMap<>();
    for (String part : value.split(";")) {
      int eq = part.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("bad limit field: " + part);
      }
      try {
        f.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad limit field: " + part, e);
      }
    }
    Optional<Rate> rate =
        f.containsKey("rate")
            ? Optional.of(
                new Rate(
                    f.get("rate"),
                    Duration.ofMillis(f.getOrDefault("per_ms", 1000L)),
                    f.getOrDefault("burst", 0L)))
            : Optional.empty();
    OptionalInt conc =
        f.containsKey("concurrency")
            ? OptionalInt.of(Math.toIntExact(f.get("concurrency")))
            : OptionalInt.empty();
    return new Limit(target, rate, conc);
  }
}
