package dev.dq.core.worker;

import static dev.dq.testing.TaskFixtures.aTask;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.QueueStats;
import dev.dq.core.retry.RetryPolicy;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.testing.FakeBroker;
import dev.dq.testing.FakeClock;
import dev.dq.testing.FlakyBroker;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class WorkerPoolTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final RecordingListener events = new RecordingListener();
  private FakeBroker broker;
  private WorkerPool pool;

  @AfterEach
  void tearDown() {
    if (pool != null) {
      pool.stop(Duration.ofSeconds(5));
    }
    if (broker != null) {
      broker.close();
    }
  }

  private WorkerPool start(InstantSource clock, Consumer<WorkerPoolConfig.Builder> config,
      Consumer<WorkerPool.Builder> handlers) {
    broker = new FakeBroker(clock);
    return start(broker, clock, config, handlers);
  }

  private WorkerPool start(Broker target, InstantSource clock, Consumer<WorkerPoolConfig.Builder> config,
      Consumer<WorkerPool.Builder> handlers) {
    var cfg = WorkerPoolConfig.builder().workers(4).pollWait(Duration.ofMillis(50));
    config.accept(cfg);
    var builder = WorkerPool.builder(target).config(cfg.build()).clock(clock).listener(events).random(new Random(7));
    handlers.accept(builder);
    pool = builder.build();
    pool.start();
    return pool;
  }

  /** A handler that works until it is interrupted (stop's grace ended, or its timeout fired). */
  private static void blockUntilInterrupted() throws InterruptedException {
    new CountDownLatch(1).await();
  }

  private void enqueue(Task task) throws InterruptedException {
    broker.enqueue(task, Duration.ZERO);
  }

  private QueueStats stats() {
    return broker.stats(Task.DEFAULT_QUEUE);
  }

  @Test
  void start_registeredHandler_acksEveryTaskOnce() throws Exception {
    ConcurrentHashMap<TaskId, AtomicInteger> seen = new ConcurrentHashMap<TaskId, AtomicInteger>();
    start(InstantSource.system(), c -> {}, b -> b.handler("test",
        t -> seen.computeIfAbsent(t.id(), id -> new AtomicInteger()).incrementAndGet()));

    for (int i = 0; i < 200; i++) {
      enqueue(aTask("t" + i).build());
    }

    await().atMost(WAIT).until(() -> events.all(TaskEvent.Succeeded.class).size() == 200);
    assertThat(seen).hasSize(200).allSatisfy((id, n) -> assertThat(n.get()).isEqualTo(1));
    await().atMost(WAIT).until(() -> stats().equals(new QueueStats(Task.DEFAULT_QUEUE, 0, 0, 0)));
    broker.assertNoLeakedLeases();
  }

  @Test
  void stop_handlersStillRunningAfterGrace_handsTasksBackWithoutSpendingAnAttempt() throws Exception {
    var started = new CountDownLatch(2);
    start(InstantSource.system(), c -> c.workers(2), b -> b.handler("test", t -> {
      started.countDown();
      blockUntilInterrupted(); // by stop
    }));
    enqueue(aTask("a").build());
    enqueue(aTask("b").build());
    assertThat(started.await(20, SECONDS)).isTrue();

    boolean clean = pool.stop(Duration.ofMillis(100));

    assertThat(clean).isFalse();
    assertThat(stats().ready()).isEqualTo(2);
    assertThat(stats().inFlight()).isZero();
    var again = broker.dequeue(Task.DEFAULT_QUEUE, Duration.ofSeconds(30), Duration.ZERO).orElseThrow();
    assertThat(again.task().attempt()).isEqualTo(1);
    broker.ack(again);
    assertThat(events.all(TaskEvent.Released.class)).hasSize(2);
    assertThat(events.all(TaskEvent.Failed.class)).isEmpty();
  }

  @Test
  void stop_handlerIgnoresInterrupts_stillReturnsAndHandsTheTaskBack() throws Exception {
    var started = new CountDownLatch(1);
    var release = new AtomicBoolean();
    start(InstantSource.system(), c -> c.workers(1), b -> b.handler("test", t -> {
      started.countDown();
      while (!release.get()) {
        Thread.onSpinWait(); // a badly behaved handler: never looks at its interrupt flag
      }
    }));
    enqueue(aTask("stubborn").build());
    assertThat(started.await(20, SECONDS)).isTrue();

    try {
      boolean clean = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> pool.stop(Duration.ofMillis(100)));
      assertThat(clean).isFalse();
      assertThat(stats().ready()).isEqualTo(1);
    } finally {
      release.set(true);
    }
  }

  @Test
  void stop_handlersFinishWithinGrace_completesThemAndReturnsTrue() throws Exception {
    var started = new CountDownLatch(3);
    var finish = new CountDownLatch(1);
    start(InstantSource.system(), c -> c.workers(3), b -> b.handler("test", t -> {
      started.countDown();
      finish.await();
    }));
    for (int i = 0; i < 3; i++) {
      enqueue(aTask("g" + i).build());
    }
    assertThat(started.await(20, SECONDS)).isTrue();
    assertThat(pool.busyWorkers()).isEqualTo(3);

    var stopping = java.util.concurrent.CompletableFuture.supplyAsync(() -> pool.stop(Duration.ofSeconds(20)));
    assertThat(stopping).isNotDone(); // three handlers are still blocked
    finish.countDown();

    assertThat(stopping.get(20, SECONDS)).isTrue();
    assertThat(pool.busyWorkers()).isZero();
    assertThat(events.all(TaskEvent.Succeeded.class)).hasSize(3);
    assertThat(stats()).isEqualTo(new QueueStats(Task.DEFAULT_QUEUE, 0, 0, 0));
  }

  @Test
  void stop_calledTwice_isIdempotent() {
    start(InstantSource.system(), c -> {}, b -> {});
    assertThat(pool.stop(Duration.ofSeconds(1))).isTrue();
    assertThat(pool.stop(Duration.ofSeconds(1))).isTrue();
  }

  @Test
  void failingHandler_retriesWithExponentialBackoffThenDeadLetters() throws Exception {
    FakeClock clock = FakeClock.at("2024-01-01T00:00:00Z");
    start(clock, c -> c.retryPolicy(RetryPolicy.builder().maxAttempts(3).build()),
        b -> b.handler("test", t -> {
          throw new IllegalStateException("boom " + t.attempt());
        }));
    TaskId id = new TaskId("r1");
    enqueue(aTask("r1").build());

    await().atMost(WAIT).until(() -> events.of(TaskEvent.Failed.class, id).size() == 1);
    assertThat(events.of(TaskEvent.Failed.class, id).get(0).retryIn()).contains(Duration.ofMillis(50));
    assertThat(stats().delayed()).isEqualTo(1);

    clock.advance(Duration.ofMillis(49));
    assertThat(broker.stats(Task.DEFAULT_QUEUE).delayed()).isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    await().atMost(WAIT).until(() -> events.of(TaskEvent.Failed.class, id).size() == 2);
    assertThat(events.of(TaskEvent.Failed.class, id).get(1).retryIn()).contains(Duration.ofMillis(100));

    clock.advance(Duration.ofMillis(100));
    await().atMost(WAIT).until(() -> events.of(TaskEvent.DeadLettered.class, id).size() == 1);

    List<TaskEvent.Started> starts = events.of(TaskEvent.Started.class, id);
    assertThat(starts).extracting(s -> s.task().attempt()).containsExactly(1, 2, 3);
    DeadLetter dead = broker.deadLetter(Task.DEFAULT_QUEUE, id).orElseThrow();
    assertThat(dead.failure().attempts()).isEqualTo(3);
    assertThat(dead.failure().errorType()).isEqualTo(IllegalStateException.class.getName());
    assertThat(dead.failure().message()).isEqualTo("boom 3");
  }

  @Test
  void handlerThrowsAnError_failsTheAttemptAndTheWorkerKeepsGoing() throws Exception {
    start(InstantSource.system(), c -> c.workers(1).retryPolicy(RetryPolicy.builder().maxAttempts(2)
            .backoff((attempt, r) -> Duration.ZERO).build()),
        b -> b.handler("test", t -> {
          if (t.id().value().equals("deep")) {
            throw new StackOverflowError("simulated deep recursion");
          }
        }));
    enqueue(aTask("deep").build());
    enqueue(aTask("fine").build());

    await().atMost(WAIT).until(() -> broker.deadLetters(Task.DEFAULT_QUEUE).size() == 1
        && events.all(TaskEvent.Succeeded.class).size() == 1);
    DeadLetter dead = broker.deadLetter(Task.DEFAULT_QUEUE, new TaskId("deep")).orElseThrow();
    assertThat(dead.failure().errorType()).isEqualTo(StackOverflowError.class.getName());
    assertThat(dead.failure().attempts()).isEqualTo(2);
  }

  @Test
  void ack_brokerBrieflyUnavailable_retriesTheAckAndDoesNotRunTheTaskAgain() throws Exception {
    broker = new FakeBroker(InstantSource.system());
    var flaky = new FlakyBroker(broker).failNext(FlakyBroker.Op.ACK, 2);
    var runs = new AtomicInteger();
    start(flaky, InstantSource.system(), c -> c.workers(1), b -> b.handler("test", t -> runs.incrementAndGet()));
    enqueue(aTask("a1").build());

    await().atMost(WAIT).until(() -> events.all(TaskEvent.Succeeded.class).size() == 1);
    assertThat(runs.get()).isEqualTo(1);
    assertThat(stats()).isEqualTo(new QueueStats(Task.DEFAULT_QUEUE, 0, 0, 0));
  }

  @Test
  void stop_calledConcurrently_secondCallWaitsForTheFirstAndSharesItsResult() throws Exception {
    var started = new CountDownLatch(1);
    start(InstantSource.system(), c -> c.workers(1), b -> b.handler("test", t -> {
      started.countDown();
      blockUntilInterrupted();
    }));
    enqueue(aTask("s1").build());
    assertThat(started.await(20, SECONDS)).isTrue();

    var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> pool.stop(Duration.ofMillis(300)));
    await().atMost(WAIT).until(() -> !first.isDone() && stats().inFlight() == 1);
    boolean second = pool.stop(Duration.ofMillis(300));

    assertThat(first.get(20, SECONDS)).isFalse();
    assertThat(second).isFalse();
    assertThat(stats().ready()).isEqualTo(1); // handed back by the first stop, not lost by the second
  }

  @Test
  void nonRetryableException_deadLettersAfterTheFirstAttempt() throws Exception {
    start(InstantSource.system(), c -> {}, b -> b.handler("test", t -> {
      throw new NonRetryableException("bad payload");
    }));
    enqueue(aTask("n1").build());

    await().atMost(WAIT).until(() -> broker.deadLetters(Task.DEFAULT_QUEUE).size() == 1);
    assertThat(events.all(TaskEvent.Started.class)).hasSize(1);
    assertThat(events.all(TaskEvent.Failed.class).get(0).retryIn()).isEmpty();
  }

  @Test
  void unknownType_goesStraightToTheDeadLetterQueue() throws Exception {
    start(InstantSource.system(), c -> {}, b -> b.handler("test", t -> {}));
    enqueue(aTask("u1").build());
    enqueue(Task.builder("mystery").id("u2").createdAt(java.time.Instant.EPOCH).build());

    await().atMost(WAIT).until(() -> broker.deadLetters(Task.DEFAULT_QUEUE).size() == 1);
    DeadLetter dead = broker.deadLetter(Task.DEFAULT_QUEUE, new TaskId("u2")).orElseThrow();
    assertThat(dead.failure().message()).isEqualTo("no handler for type mystery");
    await().atMost(WAIT).until(() -> events.all(TaskEvent.Succeeded.class).size() == 1);
  }

  @Test
  void timeout_handlerOverruns_isInterruptedAndTheAttemptFails() throws Exception {
    var interrupted = new CountDownLatch(1);
    start(InstantSource.system(),
        c -> c.timeout("test", Duration.ofMillis(100)).retryPolicy(RetryPolicy.builder().maxAttempts(1).build()),
        b -> b.handler("test", t -> {
          try {
            blockUntilInterrupted();
          } catch (InterruptedException e) {
            interrupted.countDown();
            throw e;
          }
        }));
    enqueue(aTask("slow").build());

    await().atMost(WAIT).until(() -> broker.deadLetters(Task.DEFAULT_QUEUE).size() == 1);
    assertThat(interrupted.await(20, SECONDS)).isTrue();
    assertThat(events.all(TaskEvent.TimedOut.class)).hasSize(1);
    DeadLetter dead = broker.deadLetters(Task.DEFAULT_QUEUE).get(0);
    assertThat(dead.failure().errorType()).isEqualTo(TaskTimeoutException.class.getName());
    await().atMost(WAIT).until(() -> pool.abandonedHandlers() == 0);
  }

  @Test
  void timeout_handlerIgnoresInterrupt_freesTheSlotAndCountsItAbandoned() throws Exception {
    var release = new AtomicBoolean();
    var done = ConcurrentHashMap.<String>newKeySet();
    start(InstantSource.system(),
        c -> c.workers(1).timeout("stuck", Duration.ofMillis(100))
            .retryPolicy(RetryPolicy.builder().maxAttempts(1).build()),
        b -> b.handler("stuck", t -> {
          while (!release.get()) {
            Thread.onSpinWait();
          }
        }).handler("test", t -> done.add(t.id().value())));
    try {
      enqueue(Task.builder("stuck").id("s1").createdAt(java.time.Instant.EPOCH).build());
      enqueue(aTask("after").build());

      await().atMost(WAIT).until(() -> done.contains("after"));
      assertThat(pool.abandonedHandlers()).isEqualTo(1);
      assertThat(broker.deadLetters(Task.DEFAULT_QUEUE).size()).isEqualTo(1);
    } finally {
      release.set(true);
    }
    await().atMost(WAIT).until(() -> pool.abandonedHandlers() == 0);
  }

  @Test
  void concurrencyLimit_neverExceededAndOtherTypesKeepFlowing() throws Exception {
    var gate = new CountDownLatch(1);
    var current = new AtomicInteger();
    var peak = new AtomicInteger();
    var others = new AtomicInteger();
    start(InstantSource.system(), c -> c.workers(4).concurrency("email", 1), b -> b
        .handler("email", t -> {
          peak.accumulateAndGet(current.incrementAndGet(), Math::max);
          try {
            gate.await();
          } finally {
            current.decrementAndGet();
          }
        })
        .handler("test", t -> others.incrementAndGet()));

    for (int i = 0; i < 6; i++) {
      enqueue(Task.builder("email").id("e" + i).createdAt(java.time.Instant.EPOCH).build());
    }
    for (int i = 0; i < 20; i++) {
      enqueue(aTask("o" + i).build());
    }

    await().atMost(WAIT).until(() -> others.get() == 20); // emails queued ahead did not block them
    assertThat(peak.get()).isEqualTo(1);
    gate.countDown();
    await().atMost(WAIT).until(() -> events.all(TaskEvent.Succeeded.class).size() == 26);
    assertThat(peak.get()).isEqualTo(1);
    broker.assertNoLeakedLeases();
  }

  @Test
  void concurrencyLimit_noRoomToPark_handsTasksBackAndStillRunsThemAll() throws Exception {
    var current = new AtomicInteger();
    var peak = new AtomicInteger();
    start(InstantSource.system(),
        c -> c.workers(3).concurrency("email", 1).maxDeferred(0).saturatedRequeueDelay(Duration.ofMillis(5)),
        b -> b.handler("email", t -> {
          peak.accumulateAndGet(current.incrementAndGet(), Math::max);
          Thread.sleep(5);
          current.decrementAndGet();
        }));
    for (int i = 0; i < 10; i++) {
      enqueue(Task.builder("email").id("e" + i).createdAt(java.time.Instant.EPOCH).build());
    }

    await().atMost(WAIT).until(() -> events.all(TaskEvent.Succeeded.class).size() == 10);
    assertThat(peak.get()).isEqualTo(1);
    assertThat(events.all(TaskEvent.Released.class)).isNotEmpty();
    assertThat(events.all(TaskEvent.Started.class)).extracting(s -> s.task().attempt()).containsOnly(1);
  }

  @Test
  void heartbeat_handlerLongerThanTheLease_isNotDeliveredTwice() throws Exception {
    var runs = new AtomicInteger();
    start(InstantSource.system(),
        c -> c.leaseTime(Duration.ofMillis(300)).reapInterval(Duration.ofMillis(20)),
        b -> b.handler("test", t -> {
          runs.incrementAndGet();
          Thread.sleep(1_500); // five lease times
        }));
    enqueue(aTask("long").build());

    await().atMost(WAIT).until(() -> events.all(TaskEvent.Succeeded.class).size() == 1);
    assertThat(runs.get()).isEqualTo(1);
    assertThat(events.all(TaskEvent.LeaseLost.class)).isEmpty();
  }

  @Test
  void prefetch_tasksClaimedBehindALongHandler_keepTheirLeasesAndRunOnce() throws Exception {
    var runs = new ConcurrentHashMap<TaskId, AtomicInteger>();
    start(InstantSource.system(),
        c -> c.workers(1).prefetch(4).ackBatch(4).leaseTime(Duration.ofMillis(300))
            .reapInterval(Duration.ofMillis(20)),
        b -> b.handler("test", t -> {
          runs.computeIfAbsent(t.id(), id -> new AtomicInteger()).incrementAndGet();
          Thread.sleep(400); // longer than a lease: the claimed tasks behind it wait on renewed leases
        }));
    for (int i = 0; i < 4; i++) {
      enqueue(aTask("p" + i).build());
    }

    await().atMost(WAIT).until(() -> events.all(TaskEvent.Succeeded.class).size() == 4);
    assertThat(runs).hasSize(4).allSatisfy((id, n) -> assertThat(n.get()).isEqualTo(1));
    assertThat(events.all(TaskEvent.LeaseLost.class)).isEmpty();
    assertThat(stats()).isEqualTo(new QueueStats(Task.DEFAULT_QUEUE, 0, 0, 0));
  }

  @Test
  void stop_withPrefetchedTasks_handsBackTheClaimedOnesAtOnceWithoutSpendingAttempts() throws Exception {
    var started = new CountDownLatch(1);
    start(InstantSource.system(), c -> c.workers(1).prefetch(8), b -> b.handler("test", t -> {
      started.countDown();
      blockUntilInterrupted();
    }));
    for (int i = 0; i < 8; i++) {
      enqueue(aTask("c" + i).build());
    }
    assertThat(started.await(20, SECONDS)).isTrue();

    assertThat(pool.stop(Duration.ofMillis(100))).isFalse();

    assertThat(stats()).isEqualTo(new QueueStats(Task.DEFAULT_QUEUE, 8, 0, 0));
    var again = broker.dequeueBatch(Task.DEFAULT_QUEUE, 8, Duration.ofSeconds(30), Duration.ZERO);
    assertThat(again).extracting(l -> l.task().attempt()).containsOnly(1);
    assertThat(broker.ackAll(again)).isEmpty();
  }
}
