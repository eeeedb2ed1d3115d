package dev.dq.core.worker;

import static dev.dq.core.worker.HookedBroker.once;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.Lease;
import dev.dq.core.retry.RetryPolicy;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.worker.HookedBroker.Op;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool's periodic work (lease renewal, reaping, timeouts) and its worker slots under faults, on
 * a fake clock but for the one test of the real scheduler's isolation.
 */
final class WorkerPoolHousekeepingTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private PoolHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private static void blockUntilInterrupted() throws InterruptedException {
    new CountDownLatch(1).await();
  }

  @Test
  void heartbeat_errorThrownOnce_keepsRenewingAndCountsTheFailure() throws Exception {
    h = PoolHarness.onFakeTime();
    h.hooked
        .before(Op.EXTEND, once(new AssertionError("injected")))
        .before(Op.EXTEND_ALL, once(new AssertionError("injected")));
    var runs = new AtomicInteger();
    var started = new CountDownLatch(1);
    var finish = new CountDownLatch(1);
    h.start(
        c -> c.workers(1).leaseTime(Duration.ofMillis(300)).reapInterval(Duration.ofMillis(20)),
        b ->
            b.handler(
                "test",
                t -> {
                  runs.incrementAndGet();
                  started.countDown();
                  finish.await();
                }));
    h.enqueue("long");
    assertThat(started.await(20, SECONDS)).isTrue();

    h.scheduler.advance(
        Duration.ofMillis(1_500)); // five lease times: only renewals keep it from running twice
    finish.countDown();

    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 1);
    assertThat(runs.get()).isEqualTo(1);
    assertThat(h.events.all(TaskEvent.LeaseLost.class)).isEmpty();
    assertThat(h.pool.heartbeatFailures()).isEqualTo(1);
    await().atMost(WAIT).until(() -> !h.pool.renewalsFailing());
  }

  @Test
  void reaper_errorThrownOnce_keepsReclaimingAndCountsTheFailure() throws Exception {
    h = PoolHarness.onFakeTime();
    h.hooked.before(Op.RECLAIM, once(new AssertionError("injected")));
    h.enqueue("orphan");
    Lease dead =
        h.broker.dequeue(Task.DEFAULT_QUEUE, Duration.ofSeconds(1), Duration.ZERO).orElseThrow();
    var ran = ConcurrentHashMap.<TaskId>newKeySet();
    h.start(
        c -> c.workers(1).reapInterval(Duration.ofMillis(20)),
        b -> b.handler("test", t -> ran.add(t.id())));

    h.scheduler.advance(Duration.ofMillis(20));
    assertThat(h.hooked.calls(Op.RECLAIM)).isEqualTo(1); // the Error was thrown
    h.scheduler.advance(
        Duration.ofSeconds(2)); // the dead worker's lease expires; the reaper runs on

    await().atMost(WAIT).until(() -> ran.contains(dead.task().id()));
    assertThat(h.pool.reaperFailures()).isEqualTo(1);
  }

  @Test
  void timeout_heartbeatAndReaperBlockedInTheBroker_stillFires() throws Exception {
    h =
        PoolHarness
            .onRealTime(); // the default scheduler's own threads: their isolation is the point
    var broker = new CountDownLatch(1);
    h.hooked
        .before(Op.EXTEND, broker::await)
        .before(Op.EXTEND_ALL, broker::await)
        .before(Op.RECLAIM, broker::await);
    try {
      h.start(
          c ->
              c.workers(1)
                  .leaseTime(Duration.ofMillis(300))
                  .reapInterval(Duration.ofMillis(20))
                  .timeout("test", Duration.ofMillis(500))
                  .retryPolicy(RetryPolicy.builder().maxAttempts(1).build()),
          b -> b.handler("test", t -> blockUntilInterrupted()));
      h.enqueue("slow");
      await()
          .atMost(WAIT)
          .until(
              () ->
                  h.hooked.calls(Op.RECLAIM) >= 1
                      && h.hooked.calls(Op.EXTEND) + h.hooked.calls(Op.EXTEND_ALL)
                          >= 1); // both stuck in the broker

      await().atMost(WAIT).until(() -> h.events.all(TaskEvent.TimedOut.class).size() == 1);
    } finally {
      broker.countDown();
    }
  }

  @Test
  void heartbeat_thousandsOfHeldTasks_renewsThemInFewBrokerCalls() throws Exception {
    h = PoolHarness.onFakeTime();
    int workers = 4;
    int prefetch = 1_000;
    for (int i = 0; i < workers * prefetch; i++) {
      h.enqueue("t" + i);
    }
    var started = new CountDownLatch(workers);
    var finish = new CountDownLatch(1);
    try {
      h.start(
          c -> c.workers(workers).prefetch(prefetch).leaseTime(Duration.ofSeconds(3)),
          b ->
              b.handler(
                  "test",
                  t -> {
                    started.countDown();
                    finish.await();
                  }));
      assertThat(started.await(20, SECONDS)).isTrue();
      assertThat(h.pool.heldTasks()).isEqualTo(workers * prefetch);

      h.scheduler.advance(Duration.ofSeconds(2)); // two heartbeat passes over every held task
      assertThat(h.hooked.renewed()).isGreaterThanOrEqualTo(2L * workers * prefetch);

      int roundTrips = h.hooked.calls(Op.EXTEND) + h.hooked.calls(Op.EXTEND_ALL);
      assertThat(roundTrips)
          .as("broker calls for %d renewals", h.hooked.renewed())
          .isLessThanOrEqualTo((int) (h.hooked.renewed() / 100));
      assertThat(h.events.all(TaskEvent.LeaseLost.class)).isEmpty();
    } finally {
      finish.countDown();
    }
  }

  @Test
  void strayInterruptBetweenTasks_workerKeepsItsSlot() throws Exception {
    h = PoolHarness.onFakeTime();
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    var ran = ConcurrentHashMap.<String>newKeySet();
    h.start(
        c -> c.workers(1),
        b ->
            b.handler(
                "test",
                t -> {
                  threads.add(Thread.currentThread());
                  ran.add(t.id().value());
                }));
    h.enqueue("before");
    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 1);

    Thread worker = threads.iterator().next();
    worker.interrupt(); // not from stop: a handler's leftover, a library, a late timeout
    h.enqueue("after");

    await().atMost(WAIT).until(() -> ran.contains("after"));
  }

  @Test
  void leaseExpiresWhileRunning_isReportedOnceWithTheIdAndTheLateResultIsNotSettled()
      throws Exception {
    h = PoolHarness.onFakeTime();
    var firstRunStarted = new CountDownLatch(1);
    var firstRunMayEnd = new CountDownLatch(1);
    var runs = new AtomicInteger();
    h.start(
        c -> c.workers(1).leaseTime(Duration.ofSeconds(3)).reapInterval(Duration.ofMillis(20)),
        b ->
            b.handler(
                "test",
                t -> {
                  if (runs.incrementAndGet() == 1) {
                    firstRunStarted.countDown();
                    firstRunMayEnd.await();
                  }
                }));
    h.enqueue("x");
    assertThat(firstRunStarted.await(20, SECONDS)).isTrue();

    BrokerUnavailableException outage =
        new BrokerUnavailableException("injected: renewals cannot get through");
    h.hooked
        .before(
            Op.EXTEND,
            () -> {
              throw outage;
            })
        .before(
            Op.EXTEND_ALL,
            () -> {
              throw outage;
            });
    h.scheduler.advance(
        Duration.ofSeconds(4)); // past the lease: the broker hands the task out again
    await().atMost(WAIT).until(() -> h.stats().ready() == 1);
    h.hooked.clear(Op.EXTEND).clear(Op.EXTEND_ALL);

    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.LeaseLost.class).size() == 1);
    assertThat(h.events.all(TaskEvent.LeaseLost.class).get(0).operation()).isEqualTo("renew");
    assertThat(h.warnings())
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains(
                        "lease of task x expired before it could be renewed; it may run again elsewhere"));

    firstRunMayEnd
        .countDown(); // the first delivery's handler succeeds late: its result is not acked
    await()
        .atMost(WAIT)
        .until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 1); // the second delivery
    assertThat(runs.get()).isEqualTo(2);
    assertThat(h.events.all(TaskEvent.LeaseLost.class)).hasSize(1);
    assertThat(h.stats()).isEqualTo(new dev.dq.core.port.QueueStats(Task.DEFAULT_QUEUE, 0, 0, 0));
  }

  @Test
  void heartbeat_oneQueueUnreachable_keepsRenewingTheOtherQueuesLeases() throws Exception {
    h = PoolHarness.onFakeTime();
    var started = new CountDownLatch(2);
    var finish = new CountDownLatch(1);
    h.start(
        c ->
            c.workers(2)
                .queue("healthy")
                .queue("failing")
                .leaseTime(Duration.ofSeconds(3))
                .reapInterval(Duration.ofMillis(20)),
        b ->
            b.handler(
                "test",
                t -> {
                  started.countDown();
                  finish.await();
                }));
    h.enqueue(Task.builder("test").id("h1").queue("healthy").createdAt(h.clock.instant()).build());
    h.enqueue(Task.builder("test").id("f1").queue("failing").createdAt(h.clock.instant()).build());
    assertThat(started.await(20, SECONDS)).isTrue();
    h.hooked.failCallsNaming("failing");

    h.scheduler.advance(
        Duration.ofSeconds(
            4)); // past the lease: only the failing queue's task may be reported lost

    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.LeaseLost.class).size() == 1);
    assertThat(h.events.all(TaskEvent.LeaseLost.class).get(0).task().id())
        .isEqualTo(new TaskId("f1"));
    finish.countDown();
    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 1);
    assertThat(h.events.all(TaskEvent.Succeeded.class).get(0).task().id())
        .isEqualTo(new TaskId("h1"));
    assertThat(h.events.all(TaskEvent.LeaseLost.class)).hasSize(1);
  }

  @Test
  void acks_oneQueueUnreachable_theOtherQueuesTasksAreStillAcked() throws Exception {
    h = PoolHarness.onFakeTime();
    h.hooked.failCallsNaming("failing");
    // One worker serving both queues, acking in batches: its batch holds a success of each queue.
    h.start(
        c ->
            c.workers(1)
                .prefetch(2)
                .ackBatch(2)
                .queue("healthy")
                .queue("failing")
                .leaseTime(Duration.ofSeconds(30))
                .reapInterval(Duration.ofMillis(20)),
        b -> b.handler("test", t -> {}));
    h.enqueue(Task.builder("test").id("f1").queue("failing").createdAt(h.clock.instant()).build());
    await()
        .atMost(WAIT)
        .until(() -> h.hooked.calls(Op.ACK_ALL) >= 1); // f1's ack failed and stays pending
    h.enqueue(Task.builder("test").id("h1").queue("healthy").createdAt(h.clock.instant()).build());

    // The worker now asks about f1 and h1 together; h1's queue answers.
    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 1);
    assertThat(h.events.all(TaskEvent.Succeeded.class).get(0).task().id())
        .isEqualTo(new TaskId("h1"));
  }
}
