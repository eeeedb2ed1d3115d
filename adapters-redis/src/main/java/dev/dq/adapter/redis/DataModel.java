package dev.dq.adapter.redis;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * Which data model a Redis holds, checked before a broker or dead-letter queue works on it: a v2
 * worker must not meet v1 data (dq 0.x), whose tasks it would dead-letter as undecodable.
 *
 * <p>{@link RedisKeys#DATA_MODEL} says {@value #CURRENT} once the Redis is known to hold no v1
 * data, so a check costs one GET from then on. {@value #MIGRATING} means a {@code dq migrate}
 * started and has not finished. Without the key (a Redis that dq 0.x used, or a new one), each
 * queue of {@link RedisKeys#QUEUES} that holds tasks (ready, delayed, in flight or dead) but has no
 * {@link RedisKeys#tasks()} hash is a v1 queue; if there is none, the key is set (NX).
 */
final class DataModel {
  /** The model this version reads and writes. */
  static final String CURRENT = "2";

  /** Written by {@link RedisMigration} when it starts, replaced by {@link #CURRENT} at its end. */
  static final String MIGRATING = "1";

  private DataModel() {}

  /**
   * Checks the Redis {@code redis} talks to.
   *
   * @throws RedisDataModelException it holds v1 data, or a migration did not finish
   * @throws dev.dq.core.port.BrokerUnavailableException Redis could not be reached
   */
  static void check(RedisGateway redis) {
    UnifiedJedis jedis = redis.jedis();
    String model =
        redis.callRetryingOnce("read the data model", () -> jedis.get(RedisKeys.DATA_MODEL));
    if (CURRENT.equals(model)) {
      return;
    }
    String endpoint = redis.config().url().endpoint();
    if (MIGRATING.equals(model)) {
      throw new RedisDataModelException(
          "Redis at "
              + endpoint
              + " holds dq's data model v1 and a dq migrate that did not finish; stop every older"
              + " dq process, then run: "
              + command(redis));
    }
    Set<String> queues =
        new TreeSet<>(
            redis.callRetryingOnce("list the queues", () -> jedis.smembers(RedisKeys.QUEUES)));
    for (String queue : queues) {
      RedisKeys k;
      try {
        k = RedisKeys.of(queue);
      } catch (RuntimeException e) {
        continue; // not a queue name dq could have written; nothing of dq's lives under it
      }
      long tasks = redis.callRetryingOnce("count the tasks of " + queue, () -> v1Tasks(jedis, k));
      if (tasks > 0) {
        throw new RedisDataModelException(
            "Redis at "
                + endpoint
                + " holds queue '"
                + queue
                + "' in dq's data model v1 ("
                + tasks
                + " tasks); stop every older dq process, then run: "
                + command(redis));
      }
    }
    redis.callRetryingOnce(
        "write the data model",
        () -> jedis.set(RedisKeys.DATA_MODEL, CURRENT, SetParams.setParams().nx()));
  }

  /** The tasks of a queue without a v2 tasks hash: ready, delayed, in flight and dead; else 0. */
  private static long v1Tasks(UnifiedJedis jedis, RedisKeys k) {
    if (jedis.exists(k.tasks())) {
      return 0;
    }
    return jedis.llen(k.ready())
        + jedis.zcard(k.delayed())
        + jedis.zcard(k.active())
        + jedis.zcard(k.dead());
  }

  /** The command to run, with the URL of {@code redis} (its password masked). */
  static String command(RedisGateway redis) {
    return "dq migrate --redis-url " + redis.config().url();
  }

  /** Every queue the migration and the check look at: the listed ones and {@code extra}. */
  static Set<String> queues(RedisGateway redis, List<String> extra) {
    Set<String> all =
        new TreeSet<>(
            redis.callRetryingOnce(
                "list the queues", () -> redis.jedis().smembers(RedisKeys.QUEUES)));
    all.addAll(extra);
    return all;
  }
}
