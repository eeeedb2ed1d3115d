package dev.dq.core.worker;

import static dev.dq.testing.TaskFixtures.aTask;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.QueueStats;
import dev.dq.core.retry.RetryPolicy;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.testing.FlakyBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool against {@link dev.dq.testing.FakeBroker}, on a fake clock: leases, heartbeats, retries
 * and timeouts move only when a test advances the {@link dev.dq.testing.ManualScheduler}, so no
 * test waits out real time for them.
 */
final class WorkerPoolTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private PoolHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  /** A handler that works until it is interrupted (stop's grace ended, or its timeout fired). */
  private static void blockUntilInterrupted() throws InterruptedException {
    new CountDownLatch(1).await();
  }

  private QueueStats stats() {
    return h.stats();
  }

  @Test
  void start_registeredHandler_acksEveryTaskOnce() throws Exception {
    h = PoolHarness.onFakeTime();
    ConcurrentHashMap<TaskId, AtomicInteger> seen = new ConcurrentHashMap<TaskId, AtomicInteger>();
    h.start(
        c -> {},
        b ->
            b.handler(
                "test",
                t -> seen.computeIfAbsent(t.id(), id -> new AtomicInteger()).incrementAndGet()));

    for (int i = 0; i < 200; i++) {
      h.enqueue(aTask("t" + i).build());
    }

    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 200);
    assertThat(seen).hasSize(200).allSatisfy((id, n) -> assertThat(n.get()).isEqualTo(1));
    await().atMost(WAIT).until(() -> stats().equals(new QueueStats(Task.DEFAULT_QUEUE, 0, 0, 0)));
    h.broker.assertNoLeakedLeases();
  }

  @Test
  void stop_handlersStillRunningAfterGrace_handsTasksBackWithoutSpendingAnAttempt()
      throws Exception {
    h = PoolHarness.onFakeTime();
    var started = new CountDownLatch(2);
    h.start(
        c -> c.workers(2),
        b ->
            b.handler(
                "test",
                t -> {
                  started.countDown();
                  blockUntilInterrupted(); // by stop
                }));
    h.enqueue(aTask("a").build());
    h.enqueue(aTask("b").build());
    assertThat(started.await(20, SECONDS)).isTrue();

    boolean clean = h.pool.stop(Duration.ofMillis(100));

    assertThat(clean).isFalse();
    assertThat(stats().ready()).isEqualTo(2);
    assertThat(stats().inFlight()).isZero();
    var again =
        h.broker.dequeue(Task.DEFAULT_QUEUE, Duration.ofSeconds(30), Duration.ZERO).orElseThrow();
    assertThat(again.task().attempt()).isEqualTo(1);
    h.broker.ack(again);
    assertThat(h.events.all(TaskEvent.Released.class)).hasSize(2);
    assertThat(h.events.all(TaskEvent.Failed.class)).isEmpty();
  }

  @Test
  void stop_handlerIgnoresInterrupts_stillReturnsAndHandsTheTaskBack() throws Exception {
    h = PoolHarness.onFakeTime();
    var started = new CountDownLatch(1);
    var release = new AtomicBoolean();
    h.start(
        c -> c.workers(1),
        b ->
            b.handler(
                "test",
                t -> {
                  started.countDown();
                  while (!release.get()) {
                    Thread
                        .onSpinWait(); // a badly behaved handler: never looks at its interrupt flag
                  }
                }));
    h.enqueue(aTask("stubborn").build());
    assertThat(started.await(20, SECONDS)).isTrue();

    try {
      boolean clean =
          assertTimeoutPreemptively(
              Duration.ofSeconds(10), () -> h.pool.stop(Duration.ofMillis(100)));
      assertThat(clean).isFalse();
      assertThat(stats().ready()).isEqualTo(1);
    } finally {
      release.set(true);
    }
  }

  @Test
  void stop_handlersFinishWithinGrace_completesThemAndReturnsTrue() throws Exception {
    h = PoolHarness.onFakeTime();
    var started = new CountDownLatch(3);
    var finish = new CountDownLatch(1);
    h.start(
        c -> c.workers(3),
        b ->
            b.handler(
                "test",
                t -> {
                  started.countDown();
                  finish.await();
                }));
    for (int i = 0; i < 3; i++) {
      h.enqueue(aTask("g" + i).build());
    }
    assertThat(started.await(20, SECONDS)).isTrue();
    assertThat(h.pool.busyWorkers()).isEqualTo(3);

    var stopping = CompletableFuture.supplyAsync(() -> h.pool.stop(Duration.ofSeconds(20)));
    assertThat(stopping).isNotDone(); // three handlers are still blocked
    finish.countDown();

    assertThat(stopping.get(20, SECONDS)).isTrue();
    assertThat(h.pool.busyWorkers()).isZero();
    assertThat(h.events.all(TaskEvent.Succeeded.class)).hasSize(3);
    assertThat(stats()).isEqualTo(new QueueStats(Task.DEFAULT_QUEUE, 0, 0, 0));
  }

  @Test
  void busyWorkersByQueue_handlersRunning_countsEachQueuesSlots() throws Exception {
    h = PoolHarness.onFakeTime();
    var started = new CountDownLatch(3);
    var finish = new CountDownLatch(1);
    h.start(
        c -> c.workers(4).queue("critical", 6).queue("low", 1).queue("idle"),
        b ->
            b.handler(
                "test",
                t -> {
                  started.countDown();
                  finish.await();
                }));
    h.enqueue(aTask("c1").queue("critical").build());
    h.enqueue(aTask("c2").queue("critical").build());
    h.enqueue(aTask("l1").queue("low").build());
    assertThat(started.await(20, SECONDS)).isTrue();

    assertThat(h.pool.busyWorkersByQueue())
        .containsExactly(
            java.util.Map.entry("critical", 2),
            java.util.Map.entry("low", 1),
            java.util.Map.entry("idle", 0));
    finish.countDown();
  }

  @Test
  void stop_calledTwice_isIdempotent() {
    h = PoolHarness.onFakeTime();
    h.start(c -> {}, b -> {});
    assertThat(h.pool.stop(Duration.ofSeconds(1))).isTrue();
    assertThat(h.pool.stop(Duration.ofSeconds(1))).isTrue();
  }

  @Test
  void failingHandler_retriesWithExponentialBackoffThenDeadLetters() throws Exception {
    h = PoolHarness.onFakeTime();
    h.start(
        c -> c.retryPolicy(RetryPolicy.builder().maxAttempts(3).build()),
        b ->
            b.handler(
                "test",
                t -> {
                  throw new IllegalStateException("boom " + t.attempt());
                }));
    TaskId id = new TaskId("r1");
    h.enqueue(aTask("r1").build());

    await().atMost(WAIT).until(() -> h.events.of(TaskEvent.Failed.class, id).size() == 1);
    assertThat(h.events.of(TaskEvent.Failed.class, id).get(0).retryIn())
        .contains(Duration.ofMillis(50));
    assertThat(stats().delayed()).isEqualTo(1);

    h.scheduler.advance(Duration.ofMillis(49));
    assertThat(h.broker.stats(Task.DEFAULT_QUEUE).delayed()).isEqualTo(1);
    h.scheduler.advance(Duration.ofMillis(1));
    await().atMost(WAIT).until(() -> h.events.of(TaskEvent.Failed.class, id).size() == 2);
    assertThat(h.events.of(TaskEvent.Failed.class, id).get(1).retryIn())
        .contains(Duration.ofMillis(100));

    h.scheduler.advance(Duration.ofMillis(100));
    await().atMost(WAIT).until(() -> h.events.of(TaskEvent.DeadLettered.class, id).size() == 1);

    List<TaskEvent.Started> starts = h.events.of(TaskEvent.Started.class, id);
    assertThat(starts).extracting(s -> s.task().attempt()).containsExactly(1, 2, 3);
    DeadLetter dead = h.broker.deadLetter(Task.DEFAULT_QUEUE, id).orElseThrow();
    assertThat(dead.failure().attempts()).isEqualTo(3);
    assertThat(dead.failure().errorType()).isEqualTo(IllegalStateException.class.getName());
    assertThat(dead.failure().message()).isEqualTo("boom 3");
  }

  @Test
  void handlerThrowsAnError_failsTheAttemptAndTheWorkerKeepsGoing() throws Exception {
    h = PoolHarness.onFakeTime();
    h.start(
        c ->
            c.workers(1)
                .retryPolicy(
                    RetryPolicy.builder()
                        .maxAttempts(2)
                        .backoff((attempt, r) -> Duration.ZERO)
                        .build()),
        b ->
            b.handler(
                "test",
                t -> {
                  if (t.id().value().equals("deep")) {
                    throw new StackOverflowError("simulated deep recursion");
                  }
                }));
    h.enqueue(aTask("deep").build());
    h.enqueue(aTask("fine").build());

    await()
        .atMost(WAIT)
        .until(
            () ->
                h.broker.deadLetters(Task.DEFAULT_QUEUE).size() == 1
                    && h.events.all(TaskEvent.Succeeded.class).size() == 1);
    DeadLetter dead = h.broker.deadLetter(Task.DEFAULT_QUEUE, new TaskId("deep")).orElseThrow();
    assertThat(dead.failure().errorType()).isEqualTo(StackOverflowError.class.getName());
    assertThat(dead.failure().attempts()).isEqualTo(2);
  }

  @Test
  void ack_brokerBrieflyUnavailable_retriesTheAckAndDoesNotRunTheTaskAgain() throws Exception {
    h = PoolHarness.onFakeTime();
    var flaky = new FlakyBroker(h.broker).failNext(FlakyBroker.Op.ACK, 2);
    var runs = new AtomicInteger();
    h.start(flaky, c -> c.workers(1), b -> b.handler("test", t -> runs.incrementAndGet()));
    h.enqueue(aTask("a1").build());

    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 1);
    assertThat(runs.get()).isEqualTo(1);
    assertThat(stats()).isEqualTo(new QueueStats(Task.DEFAULT_QUEUE, 0, 0, 0));
  }

  @Test
  void stop_calledConcurrently_secondCallWaitsForTheFirstAndSharesItsResult() throws Exception {
    h = PoolHarness.onFakeTime();
    var started = new CountDownLatch(1);
    h.start(
        c -> c.workers(1),
        b ->
            b.handler(
                "test",
                t -> {
                  started.countDown();
                  blockUntilInterrupted();
                }));
    h.enqueue(aTask("s1").build());
    assertThat(started.await(20, SECONDS)).isTrue();

    var first = CompletableFuture.supplyAsync(() -> h.pool.stop(Duration.ofMillis(300)));
    await().atMost(WAIT).until(() -> !first.isDone() && stats().inFlight() == 1);
    boolean second = h.pool.stop(Duration.ofMillis(300));

    assertThat(first.get(20, SECONDS)).isFalse();
    assertThat(second).isFalse();
    assertThat(stats().ready())
        .isEqualTo(1); // handed back by the first stop, not lost by the second
  }

  @Test
  void nonRetryableException_deadLettersAfterTheFirstAttempt() throws Exception {
    h = PoolHarness.onFakeTime();
    h.start(
        c -> {},
        b ->
            b.handler(
                "test",
                t -> {
                  throw new NonRetryableException("bad payload");
                }));
    h.enqueue(aTask("n1").build());

    await().atMost(WAIT).until(() -> h.broker.deadLetters(Task.DEFAULT_QUEUE).size() == 1);
    assertThat(h.events.all(TaskEvent.Started.class)).hasSize(1);
    assertThat(h.events.all(TaskEvent.Failed.class).get(0).retryIn()).isEmpty();
  }

  @Test
  void unknownType_goesStraightToTheDeadLetterQueue() throws Exception {
    h = PoolHarness.onFakeTime();
    h.start(c -> {}, b -> b.handler("test", t -> {}));
    h.enqueue(aTask("u1").build());
    h.enqueue(Task.builder("mystery").id("u2").createdAt(java.time.Instant.EPOCH).build());

    await().atMost(WAIT).until(() -> h.broker.deadLetters(Task.DEFAULT_QUEUE).size() == 1);
    DeadLetter dead = h.broker.deadLetter(Task.DEFAULT_QUEUE, new TaskId("u2")).orElseThrow();
    assertThat(dead.failure().message()).isEqualTo("no handler for type mystery");
    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 1);
  }

  @Test
  void timeout_handlerOverruns_isInterruptedAndTheAttemptFails() throws Exception {
    h = PoolHarness.onFakeTime();
    var started = new CountDownLatch(1);
    var interrupted = new CountDownLatch(1);
    h.start(
        c ->
            c.timeout("test", Duration.ofMillis(100))
                .retryPolicy(RetryPolicy.builder().maxAttempts(1).build()),
        b ->
            b.handler(
                "test",
                t -> {
                  started.countDown();
                  try {
                    blockUntilInterrupted();
                  } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                  }
                }));
    h.enqueue(aTask("slow").build());
    assertThat(started.await(20, SECONDS)).isTrue();

    h.scheduler.advance(Duration.ofMillis(99));
    assertThat(h.events.all(TaskEvent.TimedOut.class)).as("not before its timeout").isEmpty();
    h.scheduler.advance(Duration.ofMillis(1));

    await().atMost(WAIT).until(() -> h.broker.deadLetters(Task.DEFAULT_QUEUE).size() == 1);
    assertThat(interrupted.await(20, SECONDS)).isTrue();
    assertThat(h.events.all(TaskEvent.TimedOut.class)).hasSize(1);
    DeadLetter dead = h.broker.deadLetters(Task.DEFAULT_QUEUE).get(0);
    assertThat(dead.failure().errorType()).isEqualTo(TaskTimeoutException.class.getName());
    await().atMost(WAIT).until(() -> h.pool.abandonedHandlers() == 0);
  }

  @Test
  void timeout_handlerIgnoresInterrupt_freesTheSlotAndCountsItAbandoned() throws Exception {
    h = PoolHarness.onFakeTime();
    var release = new AtomicBoolean();
    var stuck = new CountDownLatch(1);
    var done = ConcurrentHashMap.<String>newKeySet();
    h.start(
        c ->
            c.workers(1)
                .timeout("stuck", Duration.ofMillis(100))
                .retryPolicy(RetryPolicy.builder().maxAttempts(1).build()),
        b ->
            b.handler(
                    "stuck",
                    t -> {
                      stuck.countDown();
                      while (!release.get()) {
                        Thread.onSpinWait();
                      }
                    })
                .handler("test", t -> done.add(t.id().value())));
    try {
      h.enqueue(Task.builder("stuck").id("s1").createdAt(java.time.Instant.EPOCH).build());
      h.enqueue(aTask("after").build());
      assertThat(stuck.await(20, SECONDS)).isTrue();

      h.scheduler.advance(
          Duration.ofMillis(
              100)); // the timeout fires; the one worker's slot goes to a fresh thread

      await().atMost(WAIT).until(() -> done.contains("after"));
      assertThat(h.pool.abandonedHandlers()).isEqualTo(1);
      assertThat(h.broker.deadLetters(Task.DEFAULT_QUEUE).size()).isEqualTo(1);
    } finally {
      release.set(true);
    }
    await().atMost(WAIT).until(() -> h.pool.abandonedHandlers() == 0);
  }

  @Test
  void concurrencyLimit_neverExceededAndOtherTypesKeepFlowing() throws Exception {
    h = PoolHarness.onFakeTime();
    var gate = new CountDownLatch(1);
    var current = new AtomicInteger();
    var peak = new AtomicInteger();
    var others = new AtomicInteger();
    h.start(
        c -> c.workers(4).concurrency("email", 1),
        b ->
            b.handler(
                    "email",
                    t -> {
                      peak.accumulateAndGet(current.incrementAndGet(), Math::max);
                      try {
                        gate.await();
                      } finally {
                        current.decrementAndGet();
                      }
                    })
                .handler("test", t -> others.incrementAndGet()));

    for (int i = 0; i < 6; i++) {
      h.enqueue(Task.builder("email").id("e" + i).createdAt(java.time.Instant.EPOCH).build());
    }
    for (int i = 0; i < 20; i++) {
      h.enqueue(aTask("o" + i).build());
    }

    await().atMost(WAIT).until(() -> others.get() == 20); // emails queued ahead did not block them
    assertThat(peak.get()).isEqualTo(1);
    gate.countDown();
    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 26);
    assertThat(peak.get()).isEqualTo(1);
    h.broker.assertNoLeakedLeases();
  }

  @Test
  void concurrencyLimit_noRoomToPark_handsTasksBackAndStillRunsThemAll() throws Exception {
    // Real time: a task handed back for being saturated is ready again 5 ms later on the broker's
    // clock.
    h = PoolHarness.onRealTime();
    var current = new AtomicInteger();
    var peak = new AtomicInteger();
    var handedBack = new CountDownLatch(1);
    h.start(
        c ->
            c.workers(3)
                .concurrency("email", 1)
                .maxDeferred(0)
                .saturatedRequeueDelay(Duration.ofMillis(5)),
        b ->
            b.listener(
                    e -> {
                      h.events.on(e);
                      if (e instanceof TaskEvent.Released) {
                        handedBack.countDown();
                      }
                    })
                .handler(
                    "email",
                    t -> {
                      peak.accumulateAndGet(current.incrementAndGet(), Math::max);
                      try {
                        handedBack
                            .await(); // runs until another worker met the limit and handed its task
                        // back
                      } finally {
                        current.decrementAndGet();
                      }
                    }));
    for (int i = 0; i < 10; i++) {
      h.enqueue(Task.builder("email").id("e" + i).createdAt(java.time.Instant.EPOCH).build());
    }

    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 10);
    assertThat(peak.get()).isEqualTo(1);
    assertThat(h.events.all(TaskEvent.Released.class)).isNotEmpty();
    assertThat(h.events.all(TaskEvent.Started.class))
        .extracting(s -> s.task().attempt())
        .containsOnly(1);
  }

  @Test
  void heartbeat_handlerLongerThanTheLease_isNotDeliveredTwice() throws Exception {
    h = PoolHarness.onFakeTime();
    var runs = new AtomicInteger();
    var started = new CountDownLatch(1);
    var finish = new CountDownLatch(1);
    h.start(
        c -> c.leaseTime(Duration.ofMillis(300)).reapInterval(Duration.ofMillis(20)),
        b ->
            b.handler(
                "test",
                t -> {
                  runs.incrementAndGet();
                  started.countDown();
                  finish.await();
                }));
    h.enqueue(aTask("long").build());
    assertThat(started.await(20, SECONDS)).isTrue();

    h.scheduler.advance(
        Duration.ofMillis(1_500)); // five lease times, the reaper running every 20 ms
    finish.countDown();

    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 1);
    assertThat(runs.get()).isEqualTo(1);
    assertThat(h.events.all(TaskEvent.LeaseLost.class)).isEmpty();
  }

  @Test
  void prefetch_tasksClaimedBehindALongHandler_keepTheirLeasesAndRunOnce() throws Exception {
    h = PoolHarness.onFakeTime();
    var runs = new ConcurrentHashMap<TaskId, AtomicInteger>();
    var started = new Semaphore(0);
    var finish = new Semaphore(0);
    for (int i = 0; i < 4; i++) {
      h.enqueue(
          aTask("p" + i).build()); // before the start: the worker claims all four in one batch
    }
    h.start(
        c ->
            c.workers(1)
                .prefetch(4)
                .ackBatch(4)
                .leaseTime(Duration.ofMillis(300))
                .reapInterval(Duration.ofMillis(20)),
        b ->
            b.handler(
                "test",
                t -> {
                  runs.computeIfAbsent(t.id(), id -> new AtomicInteger()).incrementAndGet();
                  started.release();
                  finish.acquire();
                }));

    for (int i = 0; i < 4; i++) {
      assertThat(started.tryAcquire(20, SECONDS)).isTrue();
      // longer than a lease: the claimed tasks behind it wait on renewed leases
      h.scheduler.advance(Duration.ofMillis(400));
      finish.release();
    }

    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 4);
    assertThat(runs).hasSize(4).allSatisfy((id, n) -> assertThat(n.get()).isEqualTo(1));
    assertThat(h.events.all(TaskEvent.LeaseLost.class)).isEmpty();
    assertThat(stats()).isEqualTo(new QueueStats(Task.DEFAULT_QUEUE, 0, 0, 0));
  }

  @Test
  void stop_withPrefetchedTasks_handsBackTheClaimedOnesAtOnceWithoutSpendingAttempts()
      throws Exception {
    h = PoolHarness.onFakeTime();
    var started = new CountDownLatch(1);
    h.start(
        c -> c.workers(1).prefetch(8),
        b ->
            b.handler(
                "test",
                t -> {
                  started.countDown();
                  blockUntilInterrupted();
                }));
    for (int i = 0; i < 8; i++) {
      h.enqueue(aTask("c" + i).build());
    }
    assertThat(started.await(20, SECONDS)).isTrue();

    assertThat(h.pool.stop(Duration.ofMillis(100))).isFalse();

    assertThat(stats()).isEqualTo(new QueueStats(Task.DEFAULT_QUEUE, 8, 0, 0));
    var again = h.broker.dequeueBatch(Task.DEFAULT_QUEUE, 8, Duration.ofSeconds(30), Duration.ZERO);
    assertThat(again).extracting(l -> l.task().attempt()).containsOnly(1);
    assertThat(h.broker.ackAll(again)).isEmpty();
  }
}
