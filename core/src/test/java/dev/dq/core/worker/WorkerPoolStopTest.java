package dev.dq.core.worker;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import dev.dq.core.worker.HookedBroker.Op;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code stop}: what it counts, what it settles, and how long it may take. */
final class WorkerPoolStopTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** The bound that WorkerPool documents for stop beyond its grace. */
  private static final Duration STOP_BOUND = Duration.ofSeconds(2);

  /** Slack for a loaded machine: the check is that stop is bounded, not how fast it is. */
  private static final Duration SLACK = Duration.ofMillis(1_500);

  private final AtomicBoolean release = new AtomicBoolean();
  private PoolHarness h;

  @AfterEach
  void tearDown() {
    release.set(true);
    if (h != null) {
      h.close();
    }
  }

  /**
   * A badly behaved handler: never looks at its interrupt flag, returns only when the test ends.
   */
  private void ignoreInterrupts() {
    while (!release.get()) {
      Thread.onSpinWait();
    }
  }

  private static void blockUntilInterrupted() throws InterruptedException {
    new CountDownLatch(1).await();
  }

  @Test
  void stop_graceExceeded_logsRunningHandlersAndPrefetchedTasksApart() throws Exception {
    h = PoolHarness.onFakeTime();
    h.enqueue("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7");
    var started = new CountDownLatch(2);
    h.start(
        c -> c.workers(2).prefetch(4),
        b ->
            b.handler(
                "test",
                t -> {
                  started.countDown();
                  blockUntilInterrupted();
                }));
    assertThat(started.await(20, SECONDS)).isTrue();

    assertThat(h.pool.stop(Duration.ofMillis(100))).isFalse();

    assertThat(h.warnings())
        .anySatisfy(line -> assertThat(line).contains("interrupting 2 running handlers"));
    assertThat(h.warnings()).noneSatisfy(line -> assertThat(line).contains("interrupting 8"));
    assertThat(h.stats()).isEqualTo(new QueueStats(Task.DEFAULT_QUEUE, 8, 0, 0));
    assertThat(h.events.all(TaskEvent.Released.class)).hasSize(8);
  }

  @Test
  void stop_handlerIgnoresInterruptPastTheGrace_acksTheSuccessesWaitingForTheirBatch()
      throws Exception {
    h = PoolHarness.onFakeTime();
    h.enqueue("ok1", "ok2", "stuck", "waiting");
    var stuck = new CountDownLatch(1);
    h.start(
        c -> c.workers(1).prefetch(4).ackBatch(10),
        b ->
            b.handler(
                "test",
                t -> {
                  if (t.id().value().equals("stuck")) {
                    stuck.countDown();
                    ignoreInterrupts();
                  }
                }));
    assertThat(stuck.await(20, SECONDS))
        .isTrue(); // ok1 and ok2 succeeded and wait for a batched ack

    assertThat(h.pool.stop(Duration.ofMillis(200))).isFalse();

    assertThat(h.events.all(TaskEvent.Succeeded.class))
        .extracting(e -> e.task().id().value())
        .containsExactlyInAnyOrder("ok1", "ok2");
    assertThat(h.stats())
        .as("acked, not left in flight to run again")
        .isEqualTo(new QueueStats(Task.DEFAULT_QUEUE, 2, 0, 0));
  }

  /**
   * One stubborn handler, its worker's prefetched tasks, and a type limit that parks the other
   * worker's tasks.
   */
  private void startStubbornPoolWithSlowHandBacks() throws Exception {
    h = PoolHarness.onFakeTime();
    for (int i = 0; i < 16; i++) {
      h.enqueue("s" + i);
    }
    var started = new CountDownLatch(1);
    // A slow broker, against stop's bound, which is real time (System.nanoTime), not the pool's
    // clock: each hand-back
    // takes half a second, so stop runs out of its bound and must leave the rest to lease expiry.
    h.hooked.before(Op.RELEASE, () -> Thread.sleep(500));
    h.start(
        c -> c.workers(2).prefetch(8).concurrency("test", 1),
        b ->
            b.handler(
                "test",
                t -> {
                  started.countDown();
                  ignoreInterrupts();
                }));
    assertThat(started.await(20, SECONDS)).isTrue();
    await().atMost(WAIT).until(() -> h.pool.heldTasks() == 16);
  }

  @Test
  void stop_slowHandBacksAndAStubbornHandler_returnsWithinGracePlusItsBound() throws Exception {
    startStubbornPoolWithSlowHandBacks();
    Duration grace = Duration.ofSeconds(2);

    long began = System.nanoTime();
    boolean clean = h.pool.stop(grace);
    Duration took = Duration.ofNanos(System.nanoTime() - began);

    assertThat(clean).isFalse();
    assertThat(took).isLessThan(grace.plus(STOP_BOUND).plus(SLACK));
    QueueStats stats = h.stats();
    assertThat(stats.ready() + stats.inFlight()).as("nothing lost").isEqualTo(16);
  }

  @Test
  void stop_calledConcurrently_secondReturnsOnlyOnceTheFirstHasFinished() throws Exception {
    startStubbornPoolWithSlowHandBacks();
    Duration grace = Duration.ofSeconds(2);

    var first = CompletableFuture.supplyAsync(() -> h.pool.stop(grace));
    await()
        .atMost(WAIT)
        .until(() -> h.hooked.calls(Op.RELEASE) >= 1); // the first stop is handing back
    boolean second = h.pool.stop(grace);

    assertThat(h.pool.heldTasks())
        .as("the first stop's work was over when the second returned")
        .isZero();
    assertThat(second).isEqualTo(first.get(20, SECONDS));
  }
}
