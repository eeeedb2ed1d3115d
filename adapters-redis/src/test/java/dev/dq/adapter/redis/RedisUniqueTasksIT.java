package dev.dq.adapter.redis;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.testing.BrokerAndDeadLetters;
import dev.dq.testing.UniqueTasksContract;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisBroker} passes the unique-task contract, plus the keys it keeps and their cleanup.
 */
final class RedisUniqueTasksIT extends UniqueTasksContract {
  @RegisterExtension static final TestRedis redis = TestRedis.plain().keepingData();

  @Override
  protected BrokerAndDeadLetters create(InstantSource clock, int capacityPerQueue) {
    redis.flushAll();
    RedisBroker b = redis.broker(clock, capacityPerQueue);
    return new BrokerAndDeadLetters(b, b.deadLetterQueue());
  }

  @Test
  void enqueueUnique_writesTheDocumentedKeys() throws Exception {
    enqueue("t1", UniqueKey.untilDone("k1"));
    unique.enqueueUnique(
        aTask("t2").build(),
        UniqueKey.forWindow("k2", Duration.ofSeconds(90)),
        Duration.ZERO,
        WAIT);

    assertThat(redis.admin().hgetAll("dq:{default}:unique"))
        .isEqualTo(Map.of("k1", "t1", "k2", "t2"));
    assertThat(redis.admin().hgetAll("dq:{default}:unique-of"))
        .isEqualTo(Map.of("t1", "k1", "t2", "k2"));
    assertThat(redis.admin().zscore("dq:{default}:unique-until", "k2"))
        .isEqualTo((double) clock.millis() + 90_000);
    assertThat(redis.admin().zscore("dq:{default}:unique-until", "k1")).isNull();
    takeAndAck(QUEUE);
  }

  /** A task removed by hand (its id gone from `tasks`) leaves a stale key, taken over. */
  @Test
  void handDeletedTask_staleKey_isTakenOver() throws Exception {
    enqueue("t1", UniqueKey.untilDone("k"));
    redis.admin().hdel("dq:{default}:tasks", "t1");
    redis.admin().lrem("dq:{default}:ready", 0, "t1");

    assertThat(enqueue("t2", UniqueKey.untilDone("k"))).isEqualTo(outcome("t2", true));

    assertThat(redis.admin().hgetAll("dq:{default}:unique-of")).isEqualTo(Map.of("t2", "k"));
    assertThat(takeAndAck(QUEUE)).containsExactly("t2");
  }

  @Test
  void deadLetterDeleted_leavesNoUniqueEntry() throws Exception {
    enqueue("t1", UniqueKey.forWindow("k", Duration.ofSeconds(5)));
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    broker.deadLetter(lease, new Failure("boom", "gave up", 1, clock.instant()));
    clock.advance(Duration.ofSeconds(5));

    deadLetters.delete(QUEUE, lease.task().id());

    assertThat(redis.admin().exists("dq:{default}:unique")).isFalse();
    assertThat(redis.admin().exists("dq:{default}:unique-of")).isFalse();
    assertThat(redis.admin().exists("dq:{default}:unique-until")).isFalse();
  }

  @Test
  void queueDeleted_leavesNoUniqueKey() throws Exception {
    enqueue("t1", UniqueKey.forWindow("k", Duration.ofHours(1)));
    takeAndAck(QUEUE);

    ((RedisBroker) broker).deleteQueue(QUEUE);

    assertThat(redis.admin().keys("dq:{default}:*")).isEmpty();
  }
}
