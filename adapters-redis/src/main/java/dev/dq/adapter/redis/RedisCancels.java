package dev.dq.adapter.redis;

import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Names;
import dev.dq.core.task.TaskId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cancels of {@link RedisBroker} ({@link dev.dq.core.lifecycle.TaskCancels}): {@code
 * cancel.lua} ends a waiting task at once and marks a running one in {@code cancelled}; {@code
 * settle-cancelled.lua} ends a delivery as cancelled, fenced like an ack. Reclaim, retry and
 * release end a marked task as cancelled too (their scripts take the keys {@link #endKeys} lists).
 */
final class RedisCancels {
  private final RedisGateway redis;
  private final Settler settler;

  /**
   * @param settler counts the settles refused for a lost lease, settle-cancelled's among them
   */
  RedisCancels(RedisGateway redis, Settler settler) {
    this.redis = redis;
    this.settler = settler;
  }

  /**
   * The keys {@code cancel_end} ({@code _cancel.lua}) needs beyond those a script has already, in
   * the order the scripts list them: {@code first}, then records, finished, started, errors,
   * cancelled.
   */
  static List<String> endKeys(RedisKeys k, String... first) {
    List<String> keys = new ArrayList<>(List.of(first));
    keys.addAll(List.of(k.records(), k.finished(), k.started(), k.errors(), k.cancelled()));
    return keys;
  }

  /**
   * The keys of {@code cancel.lua} (and the first ones of {@code delete.lua}): what a script needs
   * to find a task in any state and take a waiting one out of line ({@code take_waiting}).
   */
  static List<String> waitingKeys(RedisKeys k) {
    List<String> keys =
        new ArrayList<>(
            List.of(
                k.tasks(),
                k.attempts(),
                k.active(),
                k.leases(),
                k.delayed(),
                k.dead(),
                k.records(),
                k.finished(),
                k.started(),
                k.errors(),
                k.cancelled(),
                k.limitParked()));
    keys.addAll(k.levelBlock());
    return keys;
  }

  /**
   * A connection failure leaves it unknown whether the first try ran; if it did and ended the task
   * at once, the retry finds it ended, as cancelled: that counts as {@code CANCELLED}.
   */
  CancelOutcome cancel(String queue, TaskId id) {
    Names.check("queue", queue);
    Objects.requireNonNull(id, "id");
    RedisKeys k = RedisKeys.of(queue);
    List<String> keys = waitingKeys(k);
    AtomicBoolean retried = new AtomicBoolean();
    List<?> reply =
        (List<?>)
            redis.scriptRetryingOnce(
                "cancel task " + id + " of " + queue,
                Script.CANCEL,
                keys,
                List.of(id.value(), redis.now()),
                retried);
    CancelOutcome outcome = CancelOutcome.valueOf((String) reply.get(0));
    if (outcome == CancelOutcome.ALREADY_ENDED
        && retried.get()
        && "cancelled".equals(reply.size() > 1 ? reply.get(1) : null)) {
      return CancelOutcome.CANCELLED; // the try whose reply was lost cancelled it
    }
    return outcome;
  }

  Set<TaskId> cancelRequested(String queue, Collection<TaskId> ids) {
    Objects.requireNonNull(queue, "queue");
    List<TaskId> asked = List.copyOf(ids);
    if (asked.isEmpty()) {
      return Set.of();
    }
    String[] fields = asked.stream().map(TaskId::value).toArray(String[]::new);
    String key = RedisKeys.of(queue).cancelled();
    List<String> marks =
        redis.call(
            "read the cancels of " + asked.size() + " tasks of " + queue,
            () -> redis.jedis().hmget(key, fields));
    Set<TaskId> marked = new HashSet<>();
    for (int i = 0; i < asked.size(); i++) {
      if (marks.get(i) != null) {
        marked.add(asked.get(i));
      }
    }
    return marked;
  }

  /**
   * A connection failure leaves it unknown whether the first try ran; if it did, the retry answers
   * LEASE_LOST, so a record of the task as cancelled, with no task held under its id, counts as
   * done.
   */
  void settleCancelled(Lease lease) {
    Objects.requireNonNull(lease, "lease");
    RedisKeys k = RedisKeys.of(lease.task().queue());
    String id = lease.task().id().value();
    AtomicBoolean retried = new AtomicBoolean();
    Object reply =
        redis.scriptRetryingOnce(
            "settle task " + id + " as cancelled",
            Script.SETTLE_CANCELLED,
            List.of(
                k.active(),
                k.leases(),
                k.tasks(),
                k.attempts(),
                k.priorities(),
                k.delayed(),
                k.records(),
                k.finished(),
                k.started(),
                k.errors(),
                k.cancelled()),
            List.of(id, Long.toString(lease.token()), redis.now()),
            retried);
    if ("LEASE_LOST".equals(reply) && !(retried.get() && doneByFirstTry(k, id))) {
      throw settler.lost("settle-cancelled", lease);
    }
  }

  private boolean doneByFirstTry(RedisKeys k, String id) {
    String record =
        redis.call("check cancel of task " + id, () -> redis.jedis().hget(k.records(), id));
    return record != null
        && record.contains("\"cancelled\"")
        && !redis.call("check task " + id, () -> redis.jedis().hexists(k.tasks(), id));
  }
}
