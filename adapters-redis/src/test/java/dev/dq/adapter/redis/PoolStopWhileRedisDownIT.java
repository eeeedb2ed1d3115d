package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.dq.core.task.Task;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pool's stop(grace) returns within its bound even while Redis is unreachable (Jedis ignores
 * interrupts, and every hand-back would be a failing broker call), and the tasks it could not hand
 * back are not lost: their leases expire and, once Redis is back, another pool runs them.
 */
final class PoolStopWhileRedisDownIT {
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final int TASKS = 12;

  @RegisterExtension
  final TestRedis redis = TestRedis.durable(); // an instance field: a new server for each test

  private RedisBroker broker() {
    return RedisBroker.connect(
        redis
            .config()
            .capacityPerQueue(1_000)
            .connectTimeout(Duration.ofMillis(500))
            .socketTimeout(Duration.ofSeconds(1))
            .build());
  }

  private static WorkerPoolConfig config() {
    return WorkerPoolConfig.builder()
        .workers(2)
        .prefetch(4)
        .leaseTime(LEASE)
        .pollWait(Duration.ofMillis(200))
        .reapInterval(Duration.ofMillis(200))
        .build();
  }

  @Test
  void stop_redisKilledWhileHandlersRun_returnsWithinBoundAndLosesNothing() throws Exception {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      tasks.add(Task.builder("work").id("s" + i).createdAt(Instant.now()).build());
    }
    var started = new CountDownLatch(2);
    RedisBroker first = broker();
    first.enqueueAll(tasks, Duration.ofSeconds(5));
    WorkerPool doomed =
        WorkerPool.builder(first)
            .config(config())
            .handler(
                "work",
                t -> {
                  started.countDown();
                  new CountDownLatch(1).await(); // runs until stop interrupts it
                })
            .build();
    doomed.start();
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

    redis.kill9();
    long t0 = System.nanoTime();
    boolean clean =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30), () -> doomed.stop(Duration.ofMillis(500)));
    long stopMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTimeoutPreemptively(Duration.ofSeconds(30), first::close);
    assertThat(clean).isFalse();

    redis.restart();
    Set<String> done = ConcurrentHashMap.newKeySet();
    try (RedisBroker second = broker()) {
      WorkerPool survivor =
          WorkerPool.builder(second)
              .config(config())
              .handler("work", t -> done.add(t.id().value()))
              .build();
      survivor.start();
      long t1 = System.nanoTime();
      await().atMost(Duration.ofSeconds(60)).until(() -> done.size() == TASKS);
      long recoveryMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
      survivor.stop(Duration.ofSeconds(5));
      System.out.printf(
          "FAULT stop-while-redis-down: accepted=%d completed=%d lost=0 stop_ms=%d recovery_ms=%d%n",
          TASKS, done.size(), stopMs, recoveryMs);
    }
  }
}
