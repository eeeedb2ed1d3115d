package dev.dq.adapter.redis;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.Broker;
import dev.dq.core.port.Lease;
import dev.dq.core.port.QueuePause;
import dev.dq.testing.BackgroundCall;
import dev.dq.testing.QueuePausesContract;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisBroker} passes the pause contract, plus the key it keeps and the claim's answer. */
final class RedisQueuePausesIT extends QueuePausesContract {
  @RegisterExtension static final TestRedis redis = TestRedis.plain().keepingData();

  @Override
  protected Broker createBroker(InstantSource clock) {
    redis.flushAll();
    return redis.broker(clock, 1_000);
  }

  @Override
  protected void awaitBlocked(BackgroundCall<?> call) {
    await().atMost(PATIENCE).until(() -> TestRedis.isWaitingInRedis(call));
  }

  @Test
  void pause_storesJsonOnServerTime_andListsTheQueue() {
    pauses.pause("q1", "ops@host", "db \"migration\"", Optional.of(Duration.ofMinutes(5)));

    String json = redis.admin().get("dq:{q1}:paused");
    long at = clock.millis();
    assertThat(json)
        .isEqualTo(
            "{\"by\":\"ops@host\",\"reason\":\"db \\\"migration\\\"\",\"at\":"
                + at
                + ",\"until\":"
                + (at + 300_000)
                + "}");
    assertThat(redis.admin().pttl("dq:{q1}:paused")).isBetween(290_000L, 300_000L);
    assertThat(redis.admin().sismember(RedisKeys.QUEUES, "q1")).isTrue();
  }

  @Test
  void pause_untilResumed_keyDoesNotExpire() {
    pauses.pause("q1", "ops", "", Optional.empty());

    assertThat(redis.admin().pttl("dq:{q1}:paused")).isEqualTo(-1L);
  }

  /** A pause written by hand (or by another tool) in the documented format is obeyed and read. */
  @Test
  void pause_writtenByHand_obeyed() throws Exception {
    broker.enqueue(aTask("t1").build(), Duration.ZERO);
    redis.admin().set("dq:{" + QUEUE + "}:paused", "{\"by\":\"me\",\"reason\":\"x\",\"at\":5}");

    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    assertThat(pauses.pauseOf(QUEUE))
        .contains(
            new QueuePause(QUEUE, "me", "x", java.time.Instant.ofEpochMilli(5), Optional.empty()));
    redis.admin().del("dq:{" + QUEUE + "}:paused");
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    broker.ack(lease);
  }

  /** Without the test clock, a pause with a duration ends on the server's clock, by itself. */
  @Test
  void pause_realTimeDuration_waitingDequeueGetsTaskAfterIt() throws Exception {
    try (RedisBroker real = redis.broker(100)) {
      real.enqueue(aTask("t1").queue("real").build(), Duration.ZERO);
      real.pause("real", "ops", "", Optional.of(Duration.ofMillis(1500)));
      long start = System.nanoTime();

      Optional<Lease> lease = real.dequeue("real", LEASE, Duration.ofSeconds(30));

      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertThat(lease).isPresent();
      assertThat(tookMs).isGreaterThanOrEqualTo(1_000); // generous: not handed out while paused
      real.ack(lease.get());
      System.out.printf("pause --for 1.5 s: a waiting dequeue got its task after %d ms%n", tookMs);
    }
  }

  @Test
  void resume_pushesWakeupsPerReadyTask() throws Exception {
    for (int i = 0; i < 3; i++) {
      broker.enqueue(aTask("t" + i).build(), Duration.ZERO);
    }
    redis.admin().del("dq:{" + QUEUE + "}:notify");
    pauses.pause(QUEUE, "ops", "", Optional.empty());

    pauses.resume(QUEUE);

    assertThat(redis.admin().lrange("dq:{" + QUEUE + "}:notify", 0, -1))
        .isEqualTo(List.of("1", "1", "1"));
    List<Lease> leases = broker.dequeueBatch(QUEUE, 3, LEASE, Duration.ZERO);
    assertThat(broker.ackAll(leases)).isEmpty();
  }
}
