package dev.dq.adapter.redis;

import dev.dq.core.lifecycle.DeleteOutcome;
import dev.dq.core.lifecycle.RunNowOutcome;
import dev.dq.core.task.Names;
import dev.dq.core.task.TaskId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Run-now and delete of one task of {@link RedisBroker} ({@link
 * dev.dq.core.lifecycle.TaskControls}): one script each, {@code run-now.lua} and {@code
 * delete.lua}, on keys of the queue's slot only.
 */
final class RedisControls {
  private final RedisGateway redis;

  RedisControls(RedisGateway redis) {
    this.redis = redis;
  }

  /**
   * A connection failure leaves it unknown whether the first try ran; if it did and made the task
   * ready, the retry finds it ready: that counts as {@code MADE_READY}.
   */
  RunNowOutcome runNow(String queue, TaskId id) {
    Names.check("queue", queue);
    Objects.requireNonNull(id, "id");
    RedisKeys k = RedisKeys.of(queue);
    List<String> keys =
        new ArrayList<>(
            List.of(k.tasks(), k.active(), k.delayed(), k.dead(), k.records(), k.wakeups()));
    keys.addAll(k.levelBlock());
    AtomicBoolean retried = new AtomicBoolean();
    RunNowOutcome outcome =
        RunNowOutcome.valueOf(
            (String)
                redis.scriptRetryingOnce(
                    "run task " + id + " of " + queue + " now",
                    Script.RUN_NOW,
                    keys,
                    List.of(id.value()),
                    retried));
    return outcome == RunNowOutcome.ALREADY_READY && retried.get()
        ? RunNowOutcome.MADE_READY
        : outcome;
  }

  /**
   * A connection failure leaves it unknown whether the first try ran; if it did and deleted the
   * task, the retry does not find it: that counts as {@code DELETED}.
   */
  DeleteOutcome delete(String queue, TaskId id) {
    Names.check("queue", queue);
    Objects.requireNonNull(id, "id");
    RedisKeys k = RedisKeys.of(queue);
    List<String> keys = RedisCancels.waitingKeys(k);
    keys.addAll(List.of(k.failures(), k.dumps(), k.unique(), k.uniqueOf(), k.uniqueUntil()));
    AtomicBoolean retried = new AtomicBoolean();
    DeleteOutcome outcome =
        DeleteOutcome.valueOf(
            (String)
                redis.scriptRetryingOnce(
                    "delete task " + id + " of " + queue,
                    Script.DELETE,
                    keys,
                    List.of(id.value(), redis.now()),
                    retried));
    return outcome == DeleteOutcome.NOT_FOUND && retried.get() ? DeleteOutcome.DELETED : outcome;
  }
}
