package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import dev.dq.core.task.Task;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;

/**
 * Lease fencing under faults, on real time (the Redis server's TIME): fencing, clock skew, reclaim
 * races.
 */
final class LeaseFencingIT {
  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  static List<Task> tasks(String prefix, int n) {
    List<Task> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          Task.builder("work").id(prefix + i).payload("p" + i).createdAt(Instant.EPOCH).build());
    }
    return out;
  }

  static List<Lease> takeAll(RedisBroker broker, int n, Duration lease)
      throws InterruptedException {
    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      leases.add(broker.dequeue("default", lease, Duration.ofSeconds(10)).orElseThrow());
    }
    return leases;
  }

  /**
   * 2: a worker whose lease was lost acks late; the ack is refused and counted, the new owner's
   * result stands.
   */
  @Test
  void lateSettle_afterLeaseLost_isRefusedCountedAndChangesNothing() throws Exception {
    int n = 50;
    try (RedisBroker slow = redis.broker(1000);
        RedisBroker fast = redis.broker(1000)) {
      slow.enqueueAll(tasks("t", n), Duration.ZERO);
      List<Lease> stale = takeAll(slow, n, Duration.ofMillis(300));
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> fast.reclaimExpiredLeases() > 0 && fast.stats("default").ready() == n);

      List<Lease> fresh = takeAll(fast, n, Duration.ofMinutes(5));
      for (int i = 0; i < n; i++) {
        if (i % 2 == 0) {
          fast.ack(fresh.get(i));
        } else {
          fast.deadLetter(fresh.get(i), new Failure("boom", "new owner gave up", 1, Instant.EPOCH));
        }
      }
      int refused = 0;
      for (Lease lease : stale) {
        for (Runnable late :
            List.<Runnable>of(
                () -> slow.ack(lease),
                () -> slow.retryLater(lease, Duration.ZERO),
                () -> slow.release(lease, Duration.ZERO),
                () -> slow.deadLetter(lease, new Failure("late", "", 1, Instant.EPOCH)),
                () -> slow.extend(lease, Duration.ofMinutes(1)))) {
          assertThatThrownBy(late::run).isInstanceOf(LeaseLostException.class);
          refused++;
        }
      }

      long dead = fast.deadLetterQueue().size("default");
      var stats = fast.stats("default");
      long lost = n - (n / 2) - dead;
      new Figures("late-ack-after-lease-lost", n, n / 2, dead, lost, 0, null).print();
      System.out.printf(
          "FAULT late-ack-after-lease-lost refused=%d leaseLostCount=%d%n",
          refused, slow.leaseLostCount());
      assertThat(slow.leaseLostCount()).isEqualTo(refused).isEqualTo(5L * n);
      assertThat(dead).isEqualTo(n / 2);
      assertThat(fast.deadLetterQueue().list("default", 0, n))
          .allSatisfy(d -> assertThat(d.failure().message()).isEqualTo("new owner gave up"));
      assertThat(stats.ready() + stats.inFlight() + stats.delayed()).isZero();
      assertThat(lost).isZero();
    }
  }

  /**
   * 5: a worker (or reclaimer) whose clock is 5 minutes ahead causes no early redelivery, because
   * scripts read the Redis server's TIME. The control shows the same scenario with the JVM clock as
   * time source does redeliver early.
   */
  @Test
  void skewedWorkerClock_causesNoEarlyRedelivery() throws Exception {
    InstantSource fiveMinutesAhead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(5));
    int n = 20;
    try (RedisBroker worker = redis.broker(1000);
        RedisBroker skewedReclaimer = redis.broker(1000)) {
      worker.enqueueAll(tasks("t", n), Duration.ZERO);
      long serverNowMs = serverTimeMs();
      List<Lease> leases = takeAll(worker, n, Duration.ofSeconds(30));

      assertThat(leases)
          .allSatisfy(
              l ->
                  assertThat(l.expiresAt().toEpochMilli())
                      .isBetween(serverNowMs + 30_000 - 5_000, serverNowMs + 30_000 + 5_000));
      // The skewed host reclaims, and a worker there dequeues, over and over for a while: nothing
      // comes back early.
      int early = 0;
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
      while (System.nanoTime() < until) {
        early += skewedReclaimer.reclaimExpiredLeases();
        if (skewedReclaimer
            .dequeue("default", Duration.ofSeconds(30), Duration.ofMillis(100))
            .isPresent()) {
          early++;
        }
      }
      for (Lease lease : leases) {
        worker.ack(lease);
      }
      new Figures("skewed-worker-clock(+5min)", n, n, 0, 0, early, null).print();
      assertThat(early).isZero();
      assertThat(worker.leaseLostCount()).isZero();
    }

    redis.flushAll();
    try (RedisBroker worker = redis.broker(Clock.systemUTC(), 1000);
        RedisBroker javaClockReclaimer = redis.broker(fiveMinutesAhead, 1000)) {
      worker.enqueueAll(tasks("c", n), Duration.ZERO);
      takeAll(worker, n, Duration.ofSeconds(30));

      int early = javaClockReclaimer.reclaimExpiredLeases();
      System.out.printf(
          "FAULT skewed-worker-clock control: with the JVM clock as time source %d of %d "
              + "tasks were redelivered early%n",
          early, n);
      assertThat(early).as("control: the test detects early redelivery").isEqualTo(n);
    }
  }

  /**
   * Retry delays, like lease expiry, are counted from the server's TIME: the worker sends a delay,
   * not a time.
   */
  @Test
  void retryLater_dueTimeIsServerTimePlusTheDelay() throws Exception {
    try (RedisBroker worker = redis.broker(1000)) {
      worker.enqueueAll(tasks("r", 1), Duration.ZERO);
      Lease lease = takeAll(worker, 1, Duration.ofSeconds(30)).get(0);
      long before = serverTimeMs();

      worker.retryLater(lease, Duration.ofMinutes(10));

      long after = serverTimeMs();
      Double due =
          redis.admin().zscore(RedisKeys.of("default").delayed(), lease.task().id().value());
      assertThat(due).isNotNull();
      assertThat(due.longValue()).isBetween(before + 600_000, after + 600_000);
    }
  }

  @SuppressWarnings("deprecation")
  private static long serverTimeMs() {
    List<?> t = (List<?>) redis.admin().sendCommand(Protocol.Command.TIME);
    return Long.parseLong(new String((byte[]) t.get(0), StandardCharsets.US_ASCII)) * 1000
        + Long.parseLong(new String((byte[]) t.get(1), StandardCharsets.US_ASCII)) / 1000;
  }

  /** 6: many reclaimers at once re-queue each expired task exactly once. */
  @Test
  void concurrentReclaimers_requeueEachExpiredTaskOnce() throws Exception {
    int n = 500;
    int reclaimers = 8;
    try (RedisBroker worker = redis.broker(10_000)) {
      worker.enqueueAll(tasks("t", n), Duration.ZERO);
      long lastExpiry =
          takeAll(worker, n, Duration.ofMillis(200)).stream()
              .mapToLong(l -> l.expiresAt().toEpochMilli())
              .max()
              .orElseThrow();
      // The leases expire on the server's clock; nothing has reclaimed them yet.
      await().atMost(Duration.ofSeconds(30)).until(() -> serverTimeMs() > lastExpiry);
      List<RedisBroker> brokers = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(reclaimers);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> counts = new ArrayList<>();
        for (int i = 0; i < reclaimers; i++) {
          RedisBroker b = RedisBroker.connect(redis.config().reclaimBatch(7).build());
          brokers.add(b);
          counts.add(
              pool.submit(
                  () -> {
                    go.await();
                    int sum = 0;
                    for (int round = 0; round < 5; round++) {
                      sum += b.reclaimExpiredLeases();
                    }
                    return sum;
                  }));
        }
        go.countDown();
        int total = 0;
        for (Future<Integer> f : counts) {
          total += f.get(60, TimeUnit.SECONDS);
        }

        List<String> ready = redis.admin().lrange(RedisKeys.of("default").ready(), 0, -1);
        Set<String> distinct = new HashSet<>(ready);
        new Figures(
                "concurrent-reclaimers(x8)",
                n,
                0,
                0,
                n - distinct.size(),
                ready.size() - distinct.size(),
                null)
            .print();
        assertThat(total).isEqualTo(n);
        assertThat(ready).hasSize(n);
        assertThat(distinct).hasSize(n);
        assertThat(worker.stats("default").inFlight()).isZero();
      } finally {
        pool.shutdownNow();
        brokers.forEach(RedisBroker::close);
      }
    }
  }
}
