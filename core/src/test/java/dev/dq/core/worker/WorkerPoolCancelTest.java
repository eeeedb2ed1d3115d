package dev.dq.core.worker;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.LeaseLostException;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cancels in a pool ({@link Execution#cancel}, run by the {@link CancelGuard}): against a handler
 * that ignores its interrupt, a success, a timeout, stop and a lost lease. On fake time: the guard
 * runs when the test advances the scheduler by {@link CancelGuard#INTERVAL}.
 */
final class WorkerPoolCancelTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final AtomicBoolean release = new AtomicBoolean();
  private final CountDownLatch settleMayGo = new CountDownLatch(1);
  private final Map<String, String> ranOn = new ConcurrentHashMap<>();
  private PoolHarness h;
  private CancellingBroker cancels;

  @AfterEach
  void tearDown() {
    release.set(true);
    settleMayGo.countDown();
    if (h != null) {
      h.close();
    }
  }

  /** A badly behaved handler: never looks at its interrupt flag, returns when the test ends. */
  private void ignoreInterrupts() {
    while (!release.get()) {
      Thread.onSpinWait();
    }
  }

  /** Enqueues {@code ids} first, so that the pool's first claim takes them all. */
  private void start(
      java.util.function.Consumer<WorkerPoolConfig.Builder> config,
      TaskHandler handler,
      String... ids) {
    h = PoolHarness.onFakeTime();
    h.enqueue(ids);
    cancels = new CancellingBroker(h.hooked);
    h.start(cancels, config, b -> b.handler("test", handler));
  }

  /** Runs the cancel guard once, on the test's thread. */
  private void runCancelGuard() {
    h.scheduler.advance(CancelGuard.INTERVAL);
  }

  @Test
  void cancelRunning_handlerIgnoresInterrupt_threadGivenUp_slotAndPermitGoOn() throws Exception {
    var stuck = new CountDownLatch(1);
    start(
        c -> c.workers(1).prefetch(1).concurrency("test", 1),
        t -> {
          ranOn.put(t.id().value(), Thread.currentThread().getName());
          if (t.id().value().equals("stuck")) {
            stuck.countDown();
            ignoreInterrupts();
          }
        },
        "stuck",
        "next");
    assertThat(stuck.await(20, SECONDS)).isTrue();

    cancels.mark("stuck");
    runCancelGuard();

    assertThat(h.events.all(TaskEvent.Cancelled.class))
        .extracting(e -> e.task().id().value())
        .containsExactly("stuck");
    assertThat(h.pool.abandonedHandlers()).isEqualTo(1);
    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 1);
    assertThat(ranOn.get("next")).isNotEqualTo(ranOn.get("stuck")); // a fresh thread took the slot
    assertThat(h.pool.busyWorkers()).isZero();
    assertThat(h.stats()).isEqualTo(new QueueStats(Task.DEFAULT_QUEUE, 0, 0, 0));
    assertThat(h.events.all(TaskEvent.Failed.class)).isEmpty();

    release.set(true);
    await().atMost(WAIT).until(() -> h.pool.abandonedHandlers() == 0);
    assertThat(h.events.all(TaskEvent.Succeeded.class))
        .hasSize(1); // its late result is not settled
  }

  /** A cancel that ends a handler which does return: the worker's next task is not interrupted. */
  @Test
  void cancelRunning_handlerReturnsOnInterrupt_nextTaskRunsUninterrupted() throws Exception {
    var started = new CountDownLatch(1);
    var nextInterrupted = new AtomicBoolean();
    start(
        c -> c.workers(1).prefetch(4),
        t -> {
          if (t.id().value().equals("sleeper")) {
            started.countDown();
            new CountDownLatch(1).await();
          }
          nextInterrupted.set(Thread.currentThread().isInterrupted());
        },
        "sleeper",
        "next");
    assertThat(started.await(20, SECONDS)).isTrue();

    cancels.mark("sleeper");
    runCancelGuard();

    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 1);
    assertThat(nextInterrupted).isFalse();
    assertThat(cancels.endedCancelled).containsExactly("sleeper");
    await().atMost(WAIT).until(() -> h.pool.abandonedHandlers() == 0);
  }

  /**
   * Stop while the cancel of a stuck handler is still settling: stop takes the worker's slot and
   * acks the successes waiting for their batch, rather than leaving them to run again.
   */
  @Test
  void stop_whileCancelOfStuckHandlerSettles_acksTheWorkersWaitingSuccesses() throws Exception {
    var stuck = new CountDownLatch(1);
    var settling = new CountDownLatch(1);
    start(
        c -> c.workers(1).prefetch(4).ackBatch(10),
        t -> {
          if (t.id().value().equals("stuck")) {
            stuck.countDown();
            ignoreInterrupts();
          }
        },
        "ok1",
        "ok2",
        "stuck");
    cancels.beforeSettleCancelled(
        () -> {
          settling.countDown();
          settleMayGo.await(); // a slow broker: the guard has not handed the slot over yet
        });
    assertThat(stuck.await(20, SECONDS)).isTrue(); // ok1 and ok2 wait for a batched ack
    cancels.mark("stuck");
    CompletableFuture<Void> guard = CompletableFuture.runAsync(this::runCancelGuard);
    assertThat(settling.await(20, SECONDS)).isTrue();

    h.pool.stop(Duration.ofMillis(200));

    assertThat(h.events.all(TaskEvent.Succeeded.class))
        .extracting(e -> e.task().id().value())
        .containsExactlyInAnyOrder("ok1", "ok2");
    settleMayGo.countDown();
    guard.get(20, SECONDS);
    assertThat(h.events.all(TaskEvent.Cancelled.class)).hasSize(1);
    assertThat(h.stats()).isEqualTo(new QueueStats(Task.DEFAULT_QUEUE, 0, 0, 0));
  }

  /**
   * The pool runs two deliveries of one id: one whose lease was lost (it runs on, unsettled) and
   * its redelivery. A cancel interrupts both.
   */
  @Test
  void cancel_twoDeliveriesOfOneIdHeld_bothInterrupted() throws Exception {
    var interrupted = new java.util.concurrent.atomic.AtomicInteger();
    var starts = new java.util.concurrent.atomic.AtomicInteger();
    start(
        c ->
            c.workers(2)
                .prefetch(1)
                .leaseTime(Duration.ofSeconds(3))
                .reapInterval(Duration.ofSeconds(1)),
        t -> {
          starts.incrementAndGet();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            interrupted.incrementAndGet();
            throw e;
          }
        },
        "t1");
    await().atMost(WAIT).until(() -> starts.get() == 1);
    HookedBroker.Hook down =
        () -> {
          throw new dev.dq.core.port.BrokerUnavailableException("injected: renewals fail");
        };
    h.hooked.before(HookedBroker.Op.EXTEND_ALL, down).before(HookedBroker.Op.EXTEND, down);
    // The lease expires (3 s) and the reaper reclaims it; the redelivery's lease outlives the test.
    h.scheduler.advance(Duration.ofSeconds(5));
    await().atMost(WAIT).until(() -> starts.get() == 2);
    h.hooked.clear(HookedBroker.Op.EXTEND_ALL).clear(HookedBroker.Op.EXTEND);

    cancels.mark("t1");
    runCancelGuard();

    await().atMost(WAIT).until(() -> interrupted.get() == 2);
    assertThat(cancels.endedCancelled).containsExactly("t1");
    assertThat(h.stats()).isEqualTo(new QueueStats(Task.DEFAULT_QUEUE, 0, 0, 0));
  }

  /** A success is not cancelled: its batched ack stands, whatever the mark says. */
  @Test
  void cancelAfterSuccess_awaitingItsAck_successStands() throws Exception {
    var blocker = new CountDownLatch(1);
    start(
        c -> c.workers(1).prefetch(4).ackBatch(10),
        t -> {
          if (t.id().value().equals("blocker")) {
            blocker.countDown();
            new CountDownLatch(1).await();
          }
        },
        "done",
        "blocker");
    assertThat(blocker.await(20, SECONDS)).isTrue(); // "done" awaits its batched ack

    cancels.mark("done");
    cancels.mark("blocker");
    runCancelGuard();

    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 1);
    assertThat(h.events.all(TaskEvent.Succeeded.class).get(0).task().id().value())
        .isEqualTo("done");
    assertThat(cancels.endedCancelled).containsExactly("blocker");
  }

  /** Cancelled first: its timeout is off, so no timeout fails it afterwards. */
  @Test
  void cancelBeforeTimeout_noTimeoutAfterwards() throws Exception {
    var stuck = new CountDownLatch(1);
    start(
        c -> c.workers(1).timeout("test", Duration.ofSeconds(1)),
        t -> {
          stuck.countDown();
          ignoreInterrupts();
        },
        "t1");
    assertThat(stuck.await(20, SECONDS)).isTrue();

    cancels.mark("t1");
    runCancelGuard();
    h.scheduler.advance(Duration.ofSeconds(5));

    assertThat(h.events.all(TaskEvent.TimedOut.class)).isEmpty();
    assertThat(h.events.all(TaskEvent.Failed.class)).isEmpty();
    assertThat(h.pool.abandonedHandlers()).isEqualTo(1);
  }

  /**
   * Timed out first: the attempt failed and its thread is given up once; the cancel does nothing.
   */
  @Test
  void timeoutBeforeCancel_cancelChangesNothing() throws Exception {
    var stuck = new CountDownLatch(1);
    start(
        c -> c.workers(1).timeout("test", Duration.ofMillis(100)),
        t -> {
          if (t.attempt() == 1) {
            stuck.countDown();
            ignoreInterrupts();
          }
        },
        "t1");
    assertThat(stuck.await(20, SECONDS)).isTrue();
    h.scheduler.advance(Duration.ofMillis(100));
    assertThat(h.events.all(TaskEvent.TimedOut.class)).hasSize(1);

    cancels.mark("t1"); // the task is waiting for its retry now: the pool holds it no longer
    runCancelGuard();

    assertThat(h.events.all(TaskEvent.Cancelled.class)).isEmpty();
    assertThat(h.pool.abandonedHandlers()).isEqualTo(1);
  }

  /** The cancel's settle finds the lease lost: reported once as such, the thread still given up. */
  @Test
  void cancelRunning_leaseLost_reportedAsLost_threadGivenUp() throws Exception {
    var stuck = new CountDownLatch(1);
    start(
        c -> c.workers(1),
        t -> {
          stuck.countDown();
          ignoreInterrupts();
        },
        "t1");
    cancels.beforeSettleCancelled(
        () -> {
          throw new LeaseLostException("injected: lease expired");
        });
    assertThat(stuck.await(20, SECONDS)).isTrue();

    cancels.mark("t1");
    runCancelGuard();

    assertThat(h.events.all(TaskEvent.LeaseLost.class))
        .extracting(TaskEvent.LeaseLost::operation)
        .containsExactly("cancel");
    assertThat(h.events.all(TaskEvent.Cancelled.class)).isEmpty();
    assertThat(h.pool.abandonedHandlers()).isEqualTo(1);
    assertThat(h.pool.busyWorkers()).isZero();
  }

  /**
   * A marked task whose handler failed before the guard noticed: the broker ends its retry as
   * cancelled, and the pool reports it cancelled, not failed.
   */
  @Test
  void markedTaskFails_retryEndsItCancelled_reportedCancelledNotFailed() throws Exception {
    start(
        c -> c.workers(1),
        t -> {
          throw new IllegalStateException("boom");
        });
    cancels.mark("t1");

    h.enqueue("t1");

    await().atMost(WAIT).until(() -> !h.events.all(TaskEvent.Cancelled.class).isEmpty());
    assertThat(h.events.all(TaskEvent.Failed.class)).isEmpty();
    assertThat(cancels.endedCancelled).containsExactly("t1");
    assertThat(h.stats()).isEqualTo(new QueueStats(Task.DEFAULT_QUEUE, 0, 0, 0));
  }

  /** A marked task handed back by stop: the release ends it as cancelled, reported so. */
  @Test
  void markedTaskHandedBackByStop_reportedCancelledNotReleased() throws Exception {
    var busy = new CountDownLatch(1);
    start(
        c -> c.workers(1).prefetch(4),
        t -> {
          busy.countDown();
          new CountDownLatch(1).await();
        },
        "running",
        "claimed");
    assertThat(busy.await(20, SECONDS)).isTrue();
    cancels.mark("claimed");

    h.pool.stop(Duration.ofMillis(100));

    assertThat(h.events.of(TaskEvent.Cancelled.class, new dev.dq.core.task.TaskId("claimed")))
        .hasSize(1);
    assertThat(h.events.all(TaskEvent.Released.class))
        .extracting(e -> e.task().id().value())
        .containsExactly("running");
  }
}
