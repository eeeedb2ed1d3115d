package dev.dq.adapter.redis;

import dev.dq.core.lifecycle.DeleteOutcome;
import dev.dq.core.lifecycle.RunNowOutcome;
import dev.dq.core.task.Names;
import dev.dq.core.task.TaskId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Run-now and delete of one task of {@link RedisBroker} ({@link
 * dev.dq.core.lifecycle.TaskControls}): one script each, {@code run-now.lua} and {@code
 * delete.lua}, on keys of the queue's slot only.
 */
final class RedisControls {
  /**
   * How long a call's reply is kept for its retry (a retry follows its lost reply at once; this is
   * ample).
   */
  static final long REPLY_KEPT_MS = 60_000;

  private final RedisGateway redis;
  private final Nonces nonces = new Nonces();

  RedisControls(RedisGateway redis) {
    this.redis = redis;
  }

  /**
   * A connection failure leaves it unknown whether the first try ran; the retry, with the same
   * nonce, is answered what the first try did if it ran (the script kept its reply), else runs.
   */
  RunNowOutcome runNow(String queue, TaskId id) {
    Names.check("queue", queue);
    Objects.requireNonNull(id, "id");
    RedisKeys k = RedisKeys.of(queue);
    List<String> keys =
        new ArrayList<>(
            List.of(k.tasks(), k.active(), k.delayed(), k.dead(), k.records(), k.wakeups()));
    keys.addAll(k.levelBlock());
    keys.add(k.controlReply(nonces.next()));
    return RunNowOutcome.valueOf(
        (String)
            redis.scriptRetryingOnce(
                "run task " + id + " of " + queue + " now",
                Script.RUN_NOW,
                keys,
                List.of(id.value(), Long.toString(REPLY_KEPT_MS))));
  }

  /**
   * A connection failure leaves it unknown whether the first try ran; the retry, with the same
   * nonce, is answered what the first try did if it ran (so it never deletes a task enqueued again
   * under the id in between), else runs.
   */
  DeleteOutcome delete(String queue, TaskId id) {
    Names.check("queue", queue);
    Objects.requireNonNull(id, "id");
    RedisKeys k = RedisKeys.of(queue);
    List<String> keys = RedisCancels.waitingKeys(k);
    keys.addAll(
        List.of(
            k.failures(),
            k.dumps(),
            k.unique(),
            k.uniqueOf(),
            k.uniqueUntil(),
            k.controlReply(nonces.next())));
    return DeleteOutcome.valueOf(
        (String)
            redis.scriptRetryingOnce(
                "delete task " + id + " of " + queue,
                Script.DELETE,
                keys,
                List.of(id.value(), Long.toString(REPLY_KEPT_MS), redis.now())));
  }
}
