package dev.dq.adapter.redis;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.lifecycle.DeleteOutcome;
import dev.dq.core.port.Broker;
import dev.dq.core.task.TaskId;
import dev.dq.testing.TaskControlsContract;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisBroker} passes the run-now and delete contract; plus the keys a delete leaves. */
final class RedisTaskControlsIT extends TaskControlsContract {
  @RegisterExtension static final TestRedis redis = TestRedis.plain().keepingData();

  private static final String K = "dq:{" + QUEUE + "}:";

  @Override
  protected Broker createBroker(InstantSource clock) {
    redis.flushAll();
    return redis.broker(clock, 1_000);
  }

  @Override
  protected dev.dq.core.port.DeadLetterQueue deadLetterQueue() {
    return ((RedisBroker) broker).deadLetterQueue();
  }

  /** Its level says 3 while it waits in the list of level 5. */
  @Override
  protected void mislay(TaskId id) {
    redis.admin().hset(K + "priorities", id.value(), "3");
  }

  /** Nothing of a deleted task is left under its id in any of the queue's keys. */
  @Test
  void delete_waiting_leavesNothingUnderItsId() throws Exception {
    broker.enqueue(aTask("t1").priority(7).build(), Duration.ZERO);
    broker.retryLater(broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow(), Duration.ZERO);

    assertThat(controls.delete(QUEUE, new TaskId("t1"))).isEqualTo(DeleteOutcome.DELETED);

    for (String key :
        List.of("tasks", "attempts", "priorities", "errors", "started", "leases", "records")) {
      assertThat(redis.admin().hexists(K + key, "t1")).as(key).isFalse();
    }
    for (String key : List.of("delayed", "active", "finished")) {
      assertThat(redis.admin().zscore(K + key, "t1")).as(key).isNull();
    }
    assertThat(redis.admin().llen(K + "ready:7")).isZero();
  }
}
