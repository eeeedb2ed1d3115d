package dev.dq.adapter.redis;

import dev.dq.core.port.BrokerUnavailableException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the queue names of {@link RedisKeys#QUEUES} (read by {@code stats} and every pool's reaper)
 * in step with the queues in use. Registering is a separate command (the set lives in another
 * cluster slot), so an instance remembers what it registered, to keep enqueues to one round trip;
 * but another process may delete a queue (and its name) at any time, so that memory is only a hint:
 *
 * <ul>
 *   <li>it expires after {@link #HINT_TTL}: an enqueue then registers the name again, one SADD per
 *       queue per TTL;
 *   <li>listing the queues (each reap does) checks the names this instance knows that Redis no
 *       longer lists: one that holds tasks again is registered again at once; one that is empty is
 *       forgotten, so the next enqueue here registers it.
 * </ul>
 */
final class QueueRegistry {
  private static final Logger log = LoggerFactory.getLogger(QueueRegistry.class);
  static final Duration HINT_TTL = Duration.ofSeconds(10);

  private final RedisGateway redis;
  private final LongSupplier nowMillis;

  /**
   * Names this instance added to {@link RedisKeys#QUEUES}, with when it last did (per {@link
   * #nowMillis}).
   */
  private final Map<String, Long> registeredAt = new ConcurrentHashMap<>();

  /** Names this instance dequeues from, whether or not anybody registered them. */
  private final Set<String> served = ConcurrentHashMap.newKeySet();

  /**
   * @param nowMillis a monotonic enough clock for the hint's age (a test clock moves it by hand)
   */
  QueueRegistry(RedisGateway redis, LongSupplier nowMillis) {
    this.redis = redis;
    this.nowMillis = nowMillis;
  }

  /**
   * Before an enqueue: adds {@code queue} to {@link RedisKeys#QUEUES} unless this instance did so
   * recently. Best effort: a failure is logged and the next enqueue tries again, so that the
   * enqueue itself, with its own retries within its timeout, rides out a short outage instead of
   * failing on this extra command.
   */
  void register(String queue) {
    long now = nowMillis.getAsLong();
    Long at = registeredAt.get(queue);
    if (at == null || now - at >= HINT_TTL.toMillis()) {
      try {
        add(queue, now);
      } catch (BrokerUnavailableException e) {
        log.debug(
            "could not register queue {} now; the next enqueue tries again: {}",
            queue,
            e.getMessage());
      }
    }
  }

  void registerLocally(String queue) {
    served.add(queue);
  }

  /**
   * Queues known to Redis or served by this instance; re-registers known queues deleted elsewhere
   * but used again.
   */
  Set<String> queues() {
    Set<String> listed =
        redis.callRetryingOnce("list queues", () -> redis.jedis().smembers(RedisKeys.QUEUES));
    Set<String> all = new HashSet<>(listed);
    Set<String> known = new HashSet<>(registeredAt.keySet());
    known.addAll(served);
    for (String queue : known) {
      if (listed.contains(queue)) {
        continue;
      }
      if (holdsTasks(queue)) {
        add(
            queue,
            nowMillis.getAsLong()); // deleted elsewhere, then used again without a new registration
        all.add(queue);
      } else {
        registeredAt.remove(queue); // deleted elsewhere: the next enqueue here registers it again
        if (served.contains(queue)) {
          all.add(queue);
        }
      }
    }
    return all;
  }

  /** Forgets {@code queue} here and in {@link RedisKeys#QUEUES}; its keys are gone already. */
  void unregister(String queue) {
    registeredAt.remove(queue);
    served.remove(queue);
    redis.call("unregister queue " + queue, () -> redis.jedis().srem(RedisKeys.QUEUES, queue));
  }

  private void add(String queue, long now) {
    redis.call("register queue " + queue, () -> redis.jedis().sadd(RedisKeys.QUEUES, queue));
    registeredAt.put(queue, now);
  }

  private boolean holdsTasks(String queue) {
    RedisKeys k = RedisKeys.of(queue);
    return redis.callRetryingOnce(
            "check queue " + queue,
            () -> redis.jedis().exists(k.ready(), k.delayed(), k.active(), k.dead()))
        > 0;
  }
}
