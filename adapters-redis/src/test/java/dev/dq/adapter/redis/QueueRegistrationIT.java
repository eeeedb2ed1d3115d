package dev.dq.adapter.redis;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.port.Lease;
import dev.dq.testing.Takes;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After one process deletes a queue, another that had registered the name in {@code dq:queues}
 * before used to trust its local cache and never register it again, so {@code stats} and other
 * pools' reapers skipped the queue although it held tasks again. Two broker instances on one
 * redis-server play the two processes.
 */
final class QueueRegistrationIT {
  private static final String QUEUE = "short-lived";
  private static final Duration LEASE = Duration.ofSeconds(30);
  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  private final MutableClock clock = MutableClock.at("2030-01-01T00:00:00Z");

  /** A producer that enqueued to the queue before it was deleted, and only enqueues afterwards. */
  @Test
  void enqueue_afterAnotherProcessDeletedTheQueue_registersItAgainOnceTheHintExpires()
      throws Exception {
    try (RedisBroker producer = redis.broker(clock, 100);
        RedisBroker operator = redis.broker(100)) {
      producer.enqueue(aTask("before").queue(QUEUE).build(), Duration.ZERO);
      operator.ack(operator.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow());
      operator.deleteQueue(QUEUE);
      assertThat(operator.queues()).doesNotContain(QUEUE);

      clock.advance(Duration.ofMinutes(1));
      producer.enqueue(aTask("after").queue(QUEUE).build(), Duration.ZERO);

      assertThat(operator.queues()).contains(QUEUE);
      assertThat(redis.admin().smembers(RedisKeys.QUEUES)).contains(QUEUE);
      assertThat(Takes.takeAndAckAll(operator, QUEUE, LEASE)).containsExactly("after");
    }
  }

  /**
   * A worker process enqueues again at once (its hint still fresh): its own reaper, which lists the
   * queues, notices that the name is missing while the queue holds tasks, and registers it again
   * for everyone else.
   */
  @Test
  void reaper_ofAProcessThatEnqueuedAfterTheDelete_registersTheQueueAgain() throws Exception {
    try (RedisBroker worker = redis.broker(clock, 100);
        RedisBroker operator = redis.broker(100)) {
      worker.enqueue(aTask("before").queue(QUEUE).build(), Duration.ZERO);
      worker.ack(worker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow());
      operator.deleteQueue(QUEUE);
      worker.enqueue(aTask("after").queue(QUEUE).build(), Duration.ZERO);
      Lease held = worker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();

      worker.reclaimExpiredLeases();

      assertThat(operator.queues()).contains(QUEUE);
      clock.advance(
          LEASE.plusSeconds(
              1)); // the worker's lease expires: another process's reaper must see the queue
      try (RedisBroker otherReaper = redis.broker(clock, 100)) {
        assertThat(otherReaper.reclaimExpiredLeases()).isEqualTo(1);
      }
      assertThat(worker.stats(QUEUE).ready()).isEqualTo(1);
      assertThat(held.task().id().value()).isEqualTo("after");
      assertThat(Takes.takeAndAckAll(worker, QUEUE, LEASE)).containsExactly("after");
    }
  }

  /**
   * A deleted queue nobody uses again stays deleted: listing the queues does not bring its name
   * back.
   */
  @Test
  void queues_afterAnotherProcessDeletedAnUnusedQueue_doesNotListItAgain() throws Exception {
    try (RedisBroker worker = redis.broker(clock, 100);
        RedisBroker operator = redis.broker(100)) {
      worker.enqueue(aTask("before").queue(QUEUE).build(), Duration.ZERO);
      worker.ack(worker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow());
      operator.deleteQueue(QUEUE);

      worker.reclaimExpiredLeases();

      assertThat(redis.admin().smembers(RedisKeys.QUEUES)).doesNotContain(QUEUE);
      assertThat(operator.queues()).doesNotContain(QUEUE);
    }
  }

  @Test
  void enqueue_registrationFailsOnItsConnection_enqueuesAnywayAndRegistersWithTheNextOne()
      throws Exception {
    try (ReplyCuttingProxy proxy = ReplyCuttingProxy.to(redis.port());
        RedisBroker producer =
            RedisBroker.connect(RedisBrokerConfig.builder(proxy.url()).build())) {
      proxy.cutNextReplyTo("dq:queues", () -> redis.admin().srem("dq:queues", QUEUE));

      // Registering is an extra command before the enqueue; its failure must not fail the enqueue,
      // which has its own
      // retries within its timeout.
      producer.enqueue(aTask("r1").queue(QUEUE).build(), Duration.ofSeconds(5));

      assertThat(proxy.cuts()).isEqualTo(1);
      assertThat(redis.admin().llen(RedisKeys.of(QUEUE).ready())).isEqualTo(1);
      producer.enqueue(aTask("r2").queue(QUEUE).build(), Duration.ofSeconds(5));
      assertThat(redis.admin().sismember("dq:queues", QUEUE))
          .as("registered by the next enqueue")
          .isTrue();
    }
  }
}
