package dev.dq.adapter.redis;

import dev.dq.core.ops.Throughput;
import dev.dq.core.ops.ThroughputCounts;
import dev.dq.core.ops.ThroughputPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A queue's per-minute throughput on Redis: one hash per queue, {@link RedisKeys#throughput}, in
 * the queue's slot, changed and read by {@code throughput.lua} with the broker's clock, bounded to
 * the last hour and expiring two hours after its last change.
 */
final class RedisThroughput {
  private final RedisGateway redis;

  RedisThroughput(RedisGateway redis) {
    this.redis = redis;
  }

  void record(String queue, ThroughputCounts counts) {
    Objects.requireNonNull(counts, "counts");
    RedisKeys k = RedisKeys.of(queue);
    if (counts.isEmpty()) {
      return;
    }
    // not retried: a retry after a lost reply could count twice
    redis.script(
        "record throughput of " + queue,
        Script.THROUGHPUT,
        List.of(k.throughput()),
        List.of(
            "add",
            redis.now(),
            Long.toString(counts.processed()),
            Long.toString(counts.failed()),
            Long.toString(counts.dead())));
  }

  List<ThroughputPoint> history(String queue, int minutes) {
    RedisKeys k = RedisKeys.of(queue);
    Throughput.checkMinutes(minutes);
    List<?> reply =
        (List<?>)
            redis.scriptRetryingOnce(
                "read throughput of " + queue,
                Script.THROUGHPUT,
                List.of(k.throughput()),
                List.of("read", redis.now(), Integer.toString(minutes)));
    long current = (Long) reply.get(0);
    List<ThroughputPoint> points = new ArrayList<>(minutes);
    for (int i = 0; i < minutes; i++) {
      long minute = current - minutes + 1 + i;
      points.add(
          new ThroughputPoint(
              Instant.ofEpochMilli(minute * 60_000),
              new ThroughputCounts(
                  count(reply.get(1 + 3 * i)),
                  count(reply.get(2 + 3 * i)),
                  count(reply.get(3 + 3 * i)))));
    }
    return points;
  }

  private static long count(Object v) {
    return v == null ? 0 : Math.max(0, Long.parseLong(RedisWorkers.text(v)));
  }
}
