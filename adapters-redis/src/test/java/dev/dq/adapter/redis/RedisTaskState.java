package dev.dq.adapter.redis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.RedisClient;

/**
 * What a test writes and reads of one task in Redis directly: a finished record in the documented
 * format (as ack writes it), and every key of its queue that still mentions it.
 */
final class RedisTaskState {
  private RedisTaskState() {}

  /** Writes the record of a task that succeeded at {@code at} into `records` and `finished`. */
  static void recordFinished(RedisClient admin, String queue, String id, Instant at) {
    RedisKeys k = RedisKeys.of(queue);
    long ms = at.toEpochMilli();
    admin.hset(
        k.records(),
        id,
        "{\"state\":\"succeeded\",\"type\":\"test\",\"attempt\":1,\"created_at_ms\":"
            + ms
            + ",\"finished_at_ms\":"
            + ms
            + "}");
    admin.zadd(k.finished(), ms, id);
  }

  /**
   * Each key of {@code queue} that still holds {@code id}: as a hash field or value, a sorted-set
   * member or a list element.
   */
  static List<String> leftOf(RedisClient admin, String queue, String id) {
    List<String> left = new ArrayList<>();
    for (String key : admin.keys("dq:{" + queue + "}:*")) {
      switch (admin.type(key)) {
        case "hash" -> {
          if (admin.hexists(key, id) || admin.hvals(key).contains(id)) {
            left.add(key);
          }
        }
        case "zset" -> {
          if (admin.zscore(key, id) != null) {
            left.add(key);
          }
        }
        case "list" -> {
          if (admin.lpos(key, id) != null) {
            left.add(key);
          }
        }
        default -> {
          // counters and strings name no task
        }
      }
    }
    return left;
  }
}
