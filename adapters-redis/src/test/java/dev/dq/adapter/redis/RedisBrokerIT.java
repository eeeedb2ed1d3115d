package dev.dq.adapter.redis;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import dev.dq.testing.BackgroundCall;
import dev.dq.testing.BrokerContract;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisBroker} passes the shared contract, plus Redis-specific cases: tokens, scripts,
 * wakeups, close.
 */
final class RedisBrokerIT extends BrokerContract {
  @RegisterExtension // createBroker flushes it, also for a second broker made mid-test
  static final TestRedis redis = TestRedis.plain().keepingData();

  @Override
  protected Broker createBroker(InstantSource clock, int capacityPerQueue) {
    redis.flushAll();
    return redis.broker(clock, capacityPerQueue);
  }

  /**
   * A dequeue waiting in Redis (BLMPOP) is RUNNABLE in a socket read, not parked, so look for the
   * wait on its stack.
   */
  @Override
  protected void awaitBlocked(BackgroundCall<?> call) {
    await().atMost(PATIENCE).until(() -> TestRedis.isWaitingInRedis(call));
  }

  private RedisBroker redisBroker() {
    return (RedisBroker) broker;
  }

  /** Without the test clock, the delay starts at the Redis server's TIME, not this JVM's. */
  @Test
  void enqueueIn_realTime_dueAtRedisTimePlusDelay() throws Exception {
    try (RedisBroker real = redis.broker(100)) {
      long before = redisMillis();
      real.enqueueIn(
          aTask("t1").queue("real-time").build(), Duration.ofSeconds(300), Duration.ZERO);
      long after = redisMillis();

      Double due = redis.admin().zscore("dq:{real-time}:delayed", "t1");
      assertThat(due).isNotNull();
      assertThat(due.longValue()).isBetween(before + 300_000, after + 300_000);
    }
  }

  private static long redisMillis() {
    return (Long)
        redis
            .admin()
            .eval(
                "local t = redis.call('TIME') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)");
  }

  @Test
  void settle_staleToken_isCountedAsLeaseLost() throws Exception {
    broker.enqueue(aTask("t1").build(), Duration.ZERO);
    Lease first = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    clock.advance(LEASE.plusSeconds(1));
    broker.reclaimExpiredLeases();
    Lease second = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();

    assertThatThrownBy(() -> broker.ack(first))
        .isInstanceOf(LeaseLostException.class)
        .hasMessageContaining("t1");
    broker.ack(second);

    assertThat(redisBroker().leaseLostCount()).isEqualTo(1);
  }

  /**
   * The heartbeat snapshots the leases it holds and renews them; a task acked in between is done,
   * not lost: its renewal changes nothing and is not counted as a lost lease.
   */
  @Test
  void extendAll_ofATaskAckedMeanwhile_isEmptyButNotCountedAsLeaseLost() throws Exception {
    broker.enqueue(aTask("raced").build(), Duration.ZERO);
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    assertThat(broker.ackAll(List.of(lease))).isEmpty(); // the pool acks in batches

    assertThat(broker.extendAll(List.of(lease), LEASE)).containsExactly(Optional.empty());
    assertThat(redisBroker().leaseLostCount()).isZero();
  }

  /** The heartbeat renews a large prefetch in batches, each one round trip per queue. */
  @Test
  void extendAll_manyLeasesOfOneQueue_isOneScriptCall() throws Exception {
    for (int i = 0; i < 50; i++) {
      broker.enqueue(aTask("e" + i).build(), Duration.ZERO);
    }
    List<Lease> leases = broker.dequeueBatch(QUEUE, 50, LEASE, Duration.ZERO);
    long before = scriptCalls();

    List<Optional<Lease>> extended = broker.extendAll(leases, LEASE);

    assertThat(scriptCalls() - before).isEqualTo(1);
    assertThat(extended).hasSize(50).allSatisfy(l -> assertThat(l).isPresent());
    broker.ackAll(extended.stream().map(Optional::orElseThrow).toList());
  }

  /** EVALSHA and EVAL calls the server has answered so far. */
  private static long scriptCalls() {
    return redis
        .admin()
        .info("commandstats")
        .lines()
        .filter(l -> l.startsWith("cmdstat_evalsha:") || l.startsWith("cmdstat_eval:"))
        .mapToLong(l -> Long.parseLong(l.replaceAll("^[^:]+:calls=(\\d+),.*", "$1")))
        .sum();
  }

  @Test
  void scriptFlush_isTransparent() throws Exception {
    broker.enqueue(aTask("t1").build(), Duration.ZERO);
    redis.admin().scriptFlush();

    broker.ack(broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow());

    assertThat(redisBroker().scriptReloadCount()).isPositive();
  }

  @Test
  void dequeue_waiting_wakesOnEnqueueByAnotherProcess() throws Exception {
    try (RedisBroker consumer = redis.broker(100);
        RedisBroker producer = redis.broker(100)) {
      BackgroundCall<Optional<Lease>> waiting =
          BackgroundCall.call("consumer", () -> consumer.dequeue("q", LEASE, BLOCK));
      awaitBlocked(waiting);

      producer.enqueue(aTask("t1").queue("q").build(), Duration.ZERO);

      consumer.ack(waiting.result(PATIENCE).orElseThrow());
    }
  }

  @Test
  void queues_listsEveryQueueEnqueuedTo() throws Exception {
    broker.enqueue(aTask("a").build(), Duration.ZERO);
    broker.enqueue(aTask("b").queue(OTHER_QUEUE).build(), Duration.ZERO);

    try (RedisBroker other = redis.broker(100)) {
      assertThat(other.queues()).containsExactly(QUEUE, OTHER_QUEUE);
    }
    broker.ack(broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow());
    broker.ack(broker.dequeue(OTHER_QUEUE, LEASE, Duration.ZERO).orElseThrow());
  }

  @Test
  void deleteQueue_emptyQueue_removesEveryKeyAndItsName() throws Exception {
    broker.enqueue(aTask("d1").queue("short-lived").build(), Duration.ZERO);
    broker.ack(broker.dequeue("short-lived", LEASE, Duration.ZERO).orElseThrow());
    RedisBroker redisBroker = (RedisBroker) broker;

    redisBroker.deleteQueue("short-lived");

    assertThat(redis.admin().keys("dq:{short-lived}:*")).isEmpty();
    assertThat(broker.queues()).doesNotContain("short-lived");
  }

  @Test
  void deleteQueue_queueStillHoldsATask_refusesAndKeepsIt() throws Exception {
    broker.enqueue(aTask("d2").queue("busy").build(), Duration.ZERO);
    RedisBroker redisBroker = (RedisBroker) broker;

    assertThatThrownBy(() -> redisBroker.deleteQueue("busy"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ready=1");
    assertThat(broker.stats("busy").ready()).isEqualTo(1);
    broker.ack(broker.dequeue("busy", LEASE, Duration.ZERO).orElseThrow());
  }

  @Test
  void usedMemoryBytes_afterEnqueueingTasks_grows() throws Exception {
    RedisBroker redisBroker = (RedisBroker) broker;
    long before = redisBroker.usedMemoryBytes();
    for (int i = 0; i < 200; i++) {
      broker.enqueue(aTask("m" + i).payload(new byte[1000]).build(), Duration.ZERO);
    }

    assertThat(before).isPositive();
    assertThat(redisBroker.usedMemoryBytes()).isGreaterThan(before + 200 * 1000);
    broker.ackAll(broker.dequeueBatch(QUEUE, 200, LEASE, Duration.ZERO));
  }

  @Test
  void close_withDequeueWaiting_returnsWithinBlockTimeoutBound() throws Exception {
    BackgroundCall<Optional<Lease>> waiting =
        BackgroundCall.call("consumer", () -> broker.dequeue("idle", LEASE, BLOCK));
    // Not awaitBlocked: a thread parked on its way (class loading, the pool) has not reached its
    // wait yet.
    await().atMost(PATIENCE).until(() -> TestRedis.isAwaitingWakeup(waiting));

    broker.close();

    // close() returns once the BLPOP ended; the woken dequeue then makes one last claim before it
    // throws, so wait
    // for it (well below BLOCK, which it would otherwise sit out).
    assertThat(waiting.failure(PATIENCE)).isInstanceOf(BrokerClosedException.class);
  }
}
