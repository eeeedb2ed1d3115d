package dev.dq.adapter.redis;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.task.TaskId;
import dev.dq.testing.BrokerAndDeadLetters;
import dev.dq.testing.PriorityContract;
import dev.dq.testing.Takes;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * {@link RedisBroker} keeps the priority contract, plus where the levels live in Redis: a queue of
 * default-priority tasks looks as it did before priorities, and every level key goes with the task
 * or the queue.
 */
final class RedisBrokerPriorityIT extends PriorityContract {
  static final RedisKeys KEYS = RedisKeys.of(QUEUE);

  @RegisterExtension // create flushes it, also for the broker a test makes with another capacity
  static final TestRedis redis = TestRedis.plain().keepingData();

  @Override
  protected BrokerAndDeadLetters create(InstantSource clock, int capacityPerQueue) {
    redis.flushAll();
    RedisBroker broker = redis.broker(clock, capacityPerQueue);
    return new BrokerAndDeadLetters(broker, broker.deadLetterQueue());
  }

  @Test
  void enqueue_defaultPriority_writesNoLevelKeysAndNoPriorityField() throws Exception {
    broker.enqueue(aTask("t1").build(), Duration.ZERO);
    broker.enqueueIn(aTask("t2").build(), Duration.ofSeconds(1), Duration.ZERO);
    RedisClient raw = redis.admin();

    assertThat(raw.lrange(KEYS.ready(), 0, -1)).containsExactly("t1");
    assertThat(raw.hget(KEYS.tasks(), "t1")).doesNotContain("priority");
    assertThat(raw.exists(KEYS.levels())).isFalse();
    assertThat(raw.exists(KEYS.priorities())).isFalse();
    clock.advance(Duration.ofSeconds(2));
    assertThat(Takes.takeAndAckAll(broker, QUEUE, LEASE)).containsExactly("t1", "t2");
  }

  @Test
  void enqueue_otherLevel_usesItsListAndRecordsLevelUntilAck() throws Exception {
    broker.enqueue(aTask("t7").priority(7).build(), Duration.ZERO);
    RedisClient raw = redis.admin();

    assertThat(raw.lrange(KEYS.ready(7), 0, -1)).containsExactly("t7");
    assertThat(raw.exists(KEYS.ready())).isFalse();
    assertThat(raw.zrange(KEYS.levels(), 0, -1)).containsExactly("7");
    assertThat(raw.hget(KEYS.priorities(), "t7")).isEqualTo("7");
    assertThat(raw.hget(KEYS.tasks(), "t7")).endsWith(",\"priority\":7}");

    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    assertThat(raw.exists(KEYS.levels()))
        .as("a level found empty by a claim leaves levels")
        .isFalse();
    assertThat(raw.hget(KEYS.priorities(), "t7")).as("kept while in flight").isEqualTo("7");
    broker.ack(lease);
    assertThat(raw.exists(KEYS.priorities())).isFalse();
  }

  @Test
  void ackAll_forgetsLevels_deadLetterKeepsItUntilDeleted() throws Exception {
    broker.enqueue(aTask("a").priority(2).build(), Duration.ZERO);
    broker.enqueue(aTask("b").priority(8).build(), Duration.ZERO);
    RedisClient raw = redis.admin();

    Lease b = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    Lease a = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    assertThat(broker.ackAll(List.of(b))).isEmpty();
    broker.deadLetter(a, new Failure("x", "boom", 1, clock.instant()));

    assertThat(raw.hgetAll(KEYS.priorities())).containsExactly(Map.entry("a", "2"));
    deadLetters.delete(QUEUE, new TaskId("a"));
    assertThat(raw.exists(KEYS.priorities())).isFalse();
  }

  @Test
  void deleteQueue_readyOnlyAtAnotherLevel_refusedThenDeletesEveryLevelKey() throws Exception {
    RedisBroker redisBroker = (RedisBroker) broker;
    broker.enqueue(aTask("t3").priority(3).build(), Duration.ZERO);
    redis.admin().zrem(KEYS.levels(), "3"); // even if levels lost track of it, the task is seen

    assertThatThrownBy(() -> redisBroker.deleteQueue(QUEUE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ready=1");
    redis.admin().zadd(KEYS.levels(), 3, "3");
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    broker.release(lease, Duration.ofSeconds(1)); // back to delayed: the level is recorded
    clock.advance(Duration.ofSeconds(2));
    broker.ack(broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow());
    redis.admin().zadd(KEYS.levels(), 9, "9"); // a stale entry goes with the queue too

    redisBroker.deleteQueue(QUEUE);

    assertThat(redis.admin().keys("dq:{" + QUEUE + "}:*")).isEmpty();
  }
}
