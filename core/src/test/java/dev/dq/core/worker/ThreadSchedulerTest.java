package dev.dq.core.worker;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The default scheduler on real threads: its isolation is what keeps timeouts firing while the
 * broker is slow.
 */
final class ThreadSchedulerTest {
  private final ThreadScheduler scheduler = new ThreadScheduler("test");
  private final CountDownLatch unblock = new CountDownLatch(1);

  @AfterEach
  void tearDown() {
    unblock.countDown();
    scheduler.shutdownNow();
  }

  @Test
  void schedule_runsTheTaskOnceOnATimerThread() throws Exception {
    var ran = new CountDownLatch(1);
    var thread = new AtomicReference<String>();
    scheduler.schedule(
        () -> {
          thread.set(Thread.currentThread().getName());
          ran.countDown();
        },
        Duration.ofMillis(10));

    assertThat(ran.await(20, SECONDS)).isTrue();
    assertThat(thread.get()).isEqualTo("test-timer-1");
  }

  @Test
  void periodicJobsBlocked_oneShotTaskAndOtherJobStillRun() throws Exception {
    var heartbeatStuck = new CountDownLatch(1);
    var reaperRan = new CountDownLatch(2);
    var timeoutFired = new CountDownLatch(1);
    var names = new AtomicReference<String>();
    scheduler.scheduleWithFixedDelay(
        "heartbeat",
        () -> {
          names.set(Thread.currentThread().getName());
          heartbeatStuck.countDown();
          awaitUninterruptibly(unblock); // stuck in a slow broker
        },
        Duration.ZERO,
        Duration.ofMillis(1));
    assertThat(heartbeatStuck.await(20, SECONDS)).isTrue();

    scheduler.scheduleWithFixedDelay(
        "reaper", reaperRan::countDown, Duration.ZERO, Duration.ofMillis(1));
    scheduler.schedule(timeoutFired::countDown, Duration.ofMillis(1));

    assertThat(timeoutFired.await(20, SECONDS)).isTrue();
    assertThat(reaperRan.await(20, SECONDS)).isTrue();
    assertThat(names.get()).isEqualTo("test-heartbeat-1");
  }

  @Test
  void cancel_beforeItIsDue_theTaskNeverRuns() throws Exception {
    var cancelledRan = new AtomicBoolean();
    var later = new CountDownLatch(1);
    scheduler.schedule(() -> cancelledRan.set(true), Duration.ofMillis(50)).cancel();
    scheduler.schedule(
        later::countDown, Duration.ofMillis(100)); // due after the cancelled one would have been

    assertThat(later.await(20, SECONDS)).isTrue();
    assertThat(cancelledRan).isFalse();
  }

  @Test
  void shutdownNow_rejectsLaterTasks() {
    scheduler.shutdownNow();

    assertThatThrownBy(() -> scheduler.schedule(() -> {}, Duration.ZERO))
        .isInstanceOf(RejectedExecutionException.class);
    assertThatThrownBy(
            () ->
                scheduler.scheduleWithFixedDelay(
                    "job", () -> {}, Duration.ZERO, Duration.ofMillis(1)))
        .isInstanceOf(RejectedExecutionException.class);
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // shutdownNow: leave
    }
  }
}
