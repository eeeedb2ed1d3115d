package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.port.DuplicateTaskException;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import dev.dq.core.port.QueueFullException;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Redis-specific behaviour of {@link RedisBroker}: server time, fencing, scripts, blocking waits, close. */
final class RedisBrokerIT {
  static final Duration LEASE = Duration.ofSeconds(30);
  static TestRedis redis;

  final MutableClock clock = MutableClock.at("2030-01-01T00:00:00Z");
  RedisBroker broker;

  @BeforeAll
  static void startRedis() {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void setUp() {
    redis.flushAll();
    broker = redis.broker(clock, 100);
  }

  @AfterEach
  void tearDown() {
    broker.close();
  }

  static Task task(String id) {
    return Task.builder("email").id(id).payload("hello " + id).header("trace", "t-" + id)
        .createdAt(Instant.parse("2030-01-01T00:00:00Z")).build();
  }

  @Test
  void enqueue_thenDequeue_deliversSameTaskUnderLease() throws Exception {
    broker.enqueue(task("t1"), Duration.ZERO);

    Lease lease = broker.dequeue("default", LEASE, Duration.ZERO).orElseThrow();

    assertThat(lease.task()).isEqualTo(task("t1"));
    assertThat(lease.expiresAt()).isEqualTo(clock.instant().plus(LEASE));
    assertThat(broker.stats("default")).isEqualTo(new QueueStats("default", 0, 1, 0));
  }

  @Test
  void dequeue_twoDeliveries_getDistinctTokens() throws Exception {
    broker.enqueue(task("t1"), Duration.ZERO);
    Lease first = broker.dequeue("default", LEASE, Duration.ZERO).orElseThrow();
    clock.advance(LEASE.plusSeconds(1));
    broker.reclaimExpiredLeases();

    Lease second = broker.dequeue("default", LEASE, Duration.ZERO).orElseThrow();

    assertThat(second.token()).isNotEqualTo(first.token());
    assertThatThrownBy(() -> broker.ack(first)).isInstanceOf(LeaseLostException.class);
    broker.ack(second);
    assertThat(broker.leaseLostCount()).isEqualTo(1);
    assertThat(broker.stats("default")).isEqualTo(new QueueStats("default", 0, 0, 0));
  }

  @Test
  void ack_afterExpiryBeforeReclaim_isRefused() throws Exception {
    broker.enqueue(task("t1"), Duration.ZERO);
    Lease lease = broker.dequeue("default", LEASE, Duration.ZERO).orElseThrow();
    clock.advance(LEASE);

    assertThatThrownBy(() -> broker.ack(lease)).isInstanceOf(LeaseLostException.class)
        .hasMessageContaining("t1");
    assertThat(broker.stats("default").inFlight()).isEqualTo(1);
  }

  @Test
  void extend_movesExpiry_soReclaimLeavesIt() throws Exception {
    broker.enqueue(task("t1"), Duration.ZERO);
    Lease lease = broker.dequeue("default", LEASE, Duration.ZERO).orElseThrow();
    clock.advance(Duration.ofSeconds(20));

    Lease extended = broker.extend(lease, LEASE);
    clock.advance(Duration.ofSeconds(20));

    assertThat(extended.expiresAt()).isEqualTo(Instant.parse("2030-01-01T00:00:50Z"));
    assertThat(broker.reclaimExpiredLeases()).isZero();
    broker.ack(extended);
  }

  @Test
  void enqueueAt_future_waitsInRedisUntilDue() throws Exception {
    broker.enqueueAt(task("t1"), clock.instant().plusSeconds(60), Duration.ZERO);

    assertThat(broker.dequeue("default", LEASE, Duration.ZERO)).isEmpty();
    assertThat(broker.stats("default").delayed()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(60));

    assertThat(broker.dequeue("default", LEASE, Duration.ZERO)).isPresent();
  }

  @Test
  void retryLater_deliversNextAttemptWhenDue() throws Exception {
    broker.enqueue(task("t1"), Duration.ZERO);
    Lease lease = broker.dequeue("default", LEASE, Duration.ZERO).orElseThrow();

    broker.retryLater(lease, clock.instant().plusSeconds(5));
    assertThat(broker.dequeue("default", LEASE, Duration.ZERO)).isEmpty();
    clock.advance(Duration.ofSeconds(5));

    assertThat(broker.dequeue("default", LEASE, Duration.ZERO).orElseThrow().task().attempt()).isEqualTo(2);
  }

  @Test
  void release_now_putsTaskAtHead() throws Exception {
    broker.enqueue(task("t1"), Duration.ZERO);
    broker.enqueue(task("t2"), Duration.ZERO);
    Lease lease = broker.dequeue("default", LEASE, Duration.ZERO).orElseThrow();

    broker.release(lease, clock.instant());

    Lease again = broker.dequeue("default", LEASE, Duration.ZERO).orElseThrow();
    assertThat(again.task().id()).isEqualTo(new TaskId("t1"));
    assertThat(again.task().attempt()).isEqualTo(1);
  }

  @Test
  void deadLetter_movesTaskToDeadLetterQueue() throws Exception {
    broker.enqueue(task("t1"), Duration.ZERO);
    Lease lease = broker.dequeue("default", LEASE, Duration.ZERO).orElseThrow();

    broker.deadLetter(lease, new Failure("boom", "it broke", 1, clock.instant()));

    assertThat(broker.deadLetterQueue().get("default", new TaskId("t1")).orElseThrow().failure().message())
        .isEqualTo("it broke");
    assertThat(broker.stats("default")).isEqualTo(new QueueStats("default", 0, 0, 0));
  }

  @Test
  void enqueue_sameIdTwice_throwsDuplicate() throws Exception {
    broker.enqueue(task("t1"), Duration.ZERO);

    assertThatThrownBy(() -> broker.enqueue(task("t1"), Duration.ZERO)).isInstanceOf(DuplicateTaskException.class);
  }

  @Test
  void enqueue_full_throwsQueueFullAfterTimeout() throws Exception {
    try (RedisBroker small = redis.broker(clock, 2)) {
      small.enqueue(task("t1"), Duration.ZERO);
      small.enqueue(task("t2"), Duration.ZERO);

      assertThatThrownBy(() -> small.enqueue(task("t3"), Duration.ofMillis(100)))
          .isInstanceOf(QueueFullException.class);
      assertThat(small.stats("default").ready()).isEqualTo(2);
    }
  }

  @Test
  void enqueue_full_proceedsWhenRoomAppears() throws Exception {
    try (RedisBroker small = redis.broker(clock, 1)) {
      small.enqueue(task("t1"), Duration.ZERO);
      CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
        try {
          small.enqueue(task("t2"), Duration.ofSeconds(30));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(100);
      assertThat(blocked).isNotDone();

      small.ack(small.dequeue("default", LEASE, Duration.ZERO).orElseThrow());

      blocked.get(30, TimeUnit.SECONDS);
      assertThat(small.stats("default").ready()).isEqualTo(1);
    }
  }

  @Test
  void enqueueAll_doesNotFit_enqueuesNothing() throws Exception {
    try (RedisBroker small = redis.broker(clock, 3)) {
      small.enqueue(task("t1"), Duration.ZERO);

      assertThatThrownBy(() -> small.enqueueAll(List.of(task("a"), task("b"), task("c")), Duration.ZERO))
          .isInstanceOf(QueueFullException.class);
      assertThatThrownBy(() -> small.enqueueAll(List.of(task("a"), task("t1")), Duration.ZERO))
          .isInstanceOf(DuplicateTaskException.class);
      assertThat(small.stats("default").ready()).isEqualTo(1);
      small.enqueueAll(List.of(task("a"), task("b")), Duration.ZERO);
      assertThat(small.stats("default").ready()).isEqualTo(3);
    }
  }

  @Test
  void scriptFlush_isTransparent() throws Exception {
    broker.enqueue(task("t1"), Duration.ZERO);
    redis.admin().scriptFlush();

    assertThat(broker.dequeue("default", LEASE, Duration.ZERO)).isPresent();
    assertThat(broker.scriptReloadCount()).isPositive();
  }

  @Test
  void dequeue_idle_wakesOnEnqueueFromAnotherBroker() throws Exception {
    try (RedisBroker consumer = redis.broker(100); RedisBroker producer = redis.broker(100)) {
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<Optional<Lease>> waiting = pool.submit(() -> consumer.dequeue("q", LEASE, Duration.ofSeconds(30)));
        Thread.sleep(200);
        producer.enqueue(task("t1").toBuilder().queue("q").build(), Duration.ZERO);

        assertThat(waiting.get(30, TimeUnit.SECONDS)).isPresent();
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void dequeue_interrupted_throwsWithinBlockTimeout() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Optional<Lease>> waiting = pool.submit(() -> broker.dequeue("idle", LEASE, Duration.ofMinutes(5)));
      Thread.sleep(200);
      waiting.cancel(true);
      pool.shutdown();

      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void close_wakesWaitingDequeue_andRefusesEnqueue() throws Exception {
    RedisBroker closing = redis.broker(100);
    CompletableFuture<Optional<Lease>> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return closing.dequeue("idle", LEASE, Duration.ofMinutes(5));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(200);

    closing.close();

    await().atMost(Duration.ofSeconds(30)).until(waiting::isDone);
    assertThat(waiting).isCompletedExceptionally();
    assertThatThrownBy(() -> closing.enqueue(task("t1"), Duration.ZERO)).isInstanceOf(BrokerClosedException.class);
  }
}
