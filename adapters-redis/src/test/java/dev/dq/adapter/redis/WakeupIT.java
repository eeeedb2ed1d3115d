package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import dev.dq.testing.BackgroundCall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Idle workers are woken for every task made ready, not only by enqueues: tasks made ready by a
 * reclaim or by a claim's promotion of due delayed tasks reach waiters blocked on the queue at
 * once, not after their block timeout. Each waiter has a broker of its own, as workers in separate
 * processes do.
 */
final class WakeupIT {
  /**
   * Far longer than the bound the waiters must be served within: only a wake-up can serve them in
   * time.
   */
  private static final Duration BLOCK_TIMEOUT = Duration.ofSeconds(10);

  /**
   * For all waiters together: a functional bound, clearly below the block timeout, generous for a
   * loaded machine.
   */
  private static final Duration SERVED_WITHIN = Duration.ofSeconds(5);

  private static final Duration LEASE = Duration.ofMinutes(1);
  private static final int WAITERS = 3;
  private static final String QUEUE = "default";

  @RegisterExtension static final TestRedis redis = TestRedis.plain();
  private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
  private final List<RedisBroker> brokers = new ArrayList<>();

  @AfterEach
  void closeBrokers() {
    brokers.forEach(RedisBroker::close);
  }

  private RedisBroker broker() {
    RedisBroker broker =
        RedisBroker.connect(redis.config().testClock(clock).blockTimeout(BLOCK_TIMEOUT).build());
    brokers.add(broker);
    return broker;
  }

  private static Task task(int i) {
    return Task.builder("work").id("t" + i).payload("p").createdAt(Instant.EPOCH).build();
  }

  /**
   * {@link #WAITERS} dequeues, each on its own broker, blocked on the empty queue's wake-up list.
   */
  private List<BackgroundCall<Optional<Lease>>> blockedWaiters() {
    List<BackgroundCall<Optional<Lease>>> waiters = new ArrayList<>();
    for (int i = 0; i < WAITERS; i++) {
      RedisBroker broker = broker();
      waiters.add(
          BackgroundCall.call(
              "waiter-" + i, () -> broker.dequeue(QUEUE, LEASE, Duration.ofSeconds(30))));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> waiters.stream().allMatch(TestRedis::isAwaitingWakeup));
    return waiters;
  }

  private static void assertEachServed(List<BackgroundCall<Optional<Lease>>> waiters) {
    long deadline = System.nanoTime() + SERVED_WITHIN.toNanos();
    List<String> ids = new ArrayList<>();
    for (BackgroundCall<Optional<Lease>> w : waiters) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      ids.add(w.result(left).orElseThrow().task().id().value());
    }
    assertThat(ids).doesNotHaveDuplicates().hasSize(WAITERS);
  }

  @Test
  void reclaim_severalTasks_wakesAWaiterForEach() throws Exception {
    RedisBroker owner = broker();
    for (int i = 0; i < WAITERS; i++) {
      owner.enqueue(task(i), Duration.ZERO);
    }
    assertThat(owner.dequeueBatch(QUEUE, WAITERS, LEASE, Duration.ZERO))
        .hasSize(WAITERS); // never settled
    List<BackgroundCall<Optional<Lease>>> waiters = blockedWaiters();

    clock.advance(LEASE.multipliedBy(2));
    assertThat(owner.reclaimExpiredLeases()).isEqualTo(WAITERS);

    assertEachServed(waiters);
  }

  @Test
  void claim_promotingSeveralDueTasks_wakesAWaiterForEachItLeaves() throws Exception {
    RedisBroker trigger = broker();
    for (int i = 0; i <= WAITERS; i++) {
      trigger.enqueueAt(task(i), clock.instant().plus(Duration.ofHours(1)), Duration.ZERO);
    }
    redis
        .admin()
        .del(
            RedisKeys.of(QUEUE).wakeups()); // the enqueues' wake-ups: the waiters must not see them
    List<BackgroundCall<Optional<Lease>>> waiters = blockedWaiters();

    clock.advance(Duration.ofHours(2));
    Lease first =
        trigger.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow(); // promotes all, takes one

    assertThat(first.task().id().value()).isEqualTo("t0");
    assertEachServed(waiters);
  }
}
