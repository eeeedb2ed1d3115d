package dev.dq.adapter.redis;

import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Names;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue-wide side of {@link RedisBroker}: reclaiming expired leases, counts and the list of
 * queues, and the operator extras of {@link dev.dq.core.port.QueueAdmin} (deleting an empty queue,
 * the server's memory use).
 */
final class Admin {
  // Logs under RedisBroker's name, as before this part was split out of it, so logging settings
  // keep applying.
  private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

  private final RedisGateway redis;
  private final RedisBrokerConfig config;
  private final Claimer claimer;

  Admin(RedisGateway redis, Claimer claimer) {
    this.redis = redis;
    this.config = redis.config();
    this.claimer = claimer;
  }

  int reclaimExpiredLeases() {
    int total = 0;
    for (String queue : redis.queues()) {
      RedisKeys k = RedisKeys.of(queue);
      List<String> keys = Settler.withLevels(k, k.active(), k.leases(), k.ready(), k.wakeups());
      keys.addAll(RedisCancels.endKeys(k, k.tasks(), k.attempts(), k.delayed()));
      int n;
      do {
        Object reply =
            redis.scriptRetryingOnce(
                "reclaim expired leases of " + queue,
                Script.RECLAIM,
                keys,
                List.of(Integer.toString(config.reclaimBatch()), redis.now()));
        n = ((Long) reply).intValue();
        total += n;
      } while (n == config.reclaimBatch());
    }
    if (total > 0) {
      log.debug("reclaimed {} expired leases", total);
    }
    return total;
  }

  QueueStats stats(String queue) {
    RedisKeys k = RedisKeys.of(queue);
    List<?> r =
        (List<?>)
            redis.scriptRetryingOnce(
                "stats of " + queue,
                Script.STATS,
                withParked(k, Settler.withLevels(k, k.ready(), k.active(), k.delayed())),
                List.of(redis.now()));
    return new QueueStats(queue, (Long) r.get(0), (Long) r.get(1), (Long) r.get(2));
  }

  private static List<String> withParked(RedisKeys k, List<String> keys) {
    List<String> all = new java.util.ArrayList<>(keys);
    all.add(k.limitParked());
    return all;
  }

  /**
   * The keys of {@code k}'s queue whose names end in a variable part ({@code acked:<b>}, {@code
   * claim:<nonce>}), found with SCAN. A queue has a few dozen keys in all (v2 keeps no key per
   * task); the pattern carries the queue's hash tag, so on a cluster it scans the node that owns
   * it.
   */
  private Set<String> keysWithSuffix(RedisKeys k) {
    Set<String> found = new LinkedHashSet<>();
    redis.scan(
        "list the keys of queue " + k.queue(),
        k.pattern(),
        500,
        page -> page.stream().filter(k::hasVariableName).forEach(found::add));
    return found;
  }

  List<String> queues() {
    return redis.queues().stream().sorted().toList();
  }

  void deleteQueue(String queue) {
    Names.check("queue", queue);
    RedisKeys k = RedisKeys.of(queue);
    List<String> keys =
        new ArrayList<>(
            List.of(
                k.ready(),
                k.delayed(),
                k.active(),
                k.dead(),
                k.leases(),
                k.tokenSeq(),
                k.wakeups(),
                k.deadSeq(),
                k.acked(),
                k.enqueued(),
                k.tasks(),
                k.attempts(),
                k.failures(),
                k.dumps()));
    keys.addAll(k.levelBlock()); // KEYS[15 .. 26]
    keys.addAll(
        List.of(
            k.records(), k.finished(), k.started(), k.errors(), k.cancelled())); // KEYS[27 .. 31]
    keys.addAll(List.of(k.unique(), k.uniqueOf(), k.uniqueUntil())); // KEYS[32 .. 34]
    keys.add(k.throughput()); // KEYS[35]
    keys.addAll(keysWithSuffix(k)); // acked:<b> bitmaps, kept claim replies
    Object reply =
        redis.scriptRetryingOnce("delete queue " + queue, Script.QUEUE_DELETE, keys, List.of());
    if (reply instanceof List<?> counts) {
      throw new IllegalStateException(
          "queue "
              + queue
              + " is not empty: ready="
              + counts.get(1)
              + " delayed="
              + counts.get(2)
              + " in_flight="
              + counts.get(3)
              + " dead="
              + counts.get(4));
    }
    redis.unregister(queue);
    claimer.forget(k);
  }

  long usedMemoryBytes() {
    if (config.cluster()) {
      return -1;
    }
    String used = redis.info("read memory use", "memory").get("used_memory");
    return used == null ? -1 : Long.parseLong(used);
  }

  /** The fields of {@code INFO cpu} and {@code INFO commandstats}; empty on a cluster. */
  Map<String, String> serverCounters() {
    if (config.cluster()) {
      return Map.of();
    }
    Map<String, String> fields = new LinkedHashMap<>(redis.info("read INFO cpu", "cpu"));
    fields.putAll(redis.info("read INFO commandstats", "commandstats"));
    return fields;
  }
}
