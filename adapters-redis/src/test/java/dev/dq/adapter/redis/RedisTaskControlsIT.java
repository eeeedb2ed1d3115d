package dev.dq.adapter.redis;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.lifecycle.DeleteOutcome;
import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.lifecycle.UniqueTasks;
import dev.dq.core.limit.Limit;
import dev.dq.core.limit.LimitTarget;
import dev.dq.core.limit.Limits;
import dev.dq.core.port.Broker;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.task.TaskId;
import dev.dq.testing.TaskControlsContract;
import dev.dq.testing.TaskFixtures;
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

  /**
   * Nothing of a deleted task is left under its id in any of the queue's keys: a retrying task with
   * a last error and a unique key held for a window leaves no field, member or unique key.
   */
  @Test
  void delete_retrying_leavesNothingUnderItsId_norItsUniqueKey() throws Exception {
    UniqueKey key = UniqueKey.forWindow("k", Duration.ofHours(1));
    ((UniqueTasks) broker)
        .enqueueUnique(aTask("t1").priority(7).build(), key, Duration.ZERO, LEASE);
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    broker.retryLater(
        lease,
        Duration.ofHours(1),
        Failure.of(new IllegalStateException("boom"), 1, clock.instant()));
    assertThat(redis.admin().hexists(K + "errors", "t1")).as("errors before").isTrue();
    assertThat(redis.admin().zscore(K + "delayed", "t1")).as("delayed before").isNotNull();
    assertThat(redis.admin().hexists(K + "unique-of", "t1")).as("unique-of before").isTrue();
    assertThat(redis.admin().zcard(K + "unique-until")).as("unique-until before").isOne();

    assertThat(controls.delete(QUEUE, new TaskId("t1"))).isEqualTo(DeleteOutcome.DELETED);

    for (String hash :
        List.of(
            "tasks",
            "attempts",
            "priorities",
            "errors",
            "started",
            "leases",
            "records",
            "failures",
            "dumps",
            "cancelled",
            "unique-of")) {
      assertThat(redis.admin().hexists(K + hash, "t1")).as(hash).isFalse();
    }
    for (String zset : List.of("delayed", "active", "finished", "dead")) {
      assertThat(redis.admin().zscore(K + zset, "t1")).as(zset).isNull();
    }
    assertThat(redis.admin().hlen(K + "unique")).as("unique").isZero();
    assertThat(redis.admin().zcard(K + "unique-until")).as("unique-until").isZero();
    assertThat(redis.admin().llen(K + "ready:7")).isZero();
  }

  /** A delete that empties a type's parked list takes the type out of {@code limit:parked}. */
  @Test
  void delete_lastParked_leavesNoParkedType() throws Exception {
    ((Limits) broker).setLimit(Limit.ofConcurrency(LimitTarget.type(TaskFixtures.TYPE), 1));
    broker.enqueue(aTask("t1").build(), Duration.ZERO);
    broker.enqueue(aTask("t2").build(), Duration.ZERO);
    List<Lease> taken = broker.dequeueBatch(QUEUE, 10, LEASE, Duration.ZERO);
    assertThat(taken).hasSize(1);
    assertThat(redis.admin().sismember(K + "limit:parked", TaskFixtures.TYPE))
        .as("before")
        .isTrue();

    assertThat(controls.delete(QUEUE, new TaskId("t2"))).isEqualTo(DeleteOutcome.DELETED);

    assertThat(redis.admin().llen(K + "limit:parked:" + TaskFixtures.TYPE)).isZero();
    assertThat(redis.admin().sismember(K + "limit:parked", TaskFixtures.TYPE)).isFalse();
    broker.ack(taken.get(0));
  }
}
