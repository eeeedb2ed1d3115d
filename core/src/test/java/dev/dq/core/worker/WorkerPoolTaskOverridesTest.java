package dev.dq.core.worker;

import static dev.dq.testing.TaskFixtures.aTask;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.DeadLetter;
import dev.dq.core.retry.RetryPolicy;
import dev.dq.core.task.ReservedHeaders;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A task's own attempts and timeout ({@link ReservedHeaders}) win over the pool's settings; a
 * malformed value leaves the pool's. On fake time: timeouts and retry delays move only when the
 * test advances the scheduler.
 */
final class WorkerPoolTaskOverridesTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private PoolHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private static void fail(Task task) {
    throw new IllegalStateException("boom " + task.attempt());
  }

  @Test
  void maxAttemptsHeader_one_deadLettersAtTheFirstFailureThoughThePoolWouldRetry() {
    h = PoolHarness.onFakeTime();
    h.start(
        c -> c.retryPolicy(RetryPolicy.builder().maxAttempts(3).build()),
        b -> b.handler("test", WorkerPoolTaskOverridesTest::fail));
    h.enqueue(aTask("once").header(ReservedHeaders.MAX_ATTEMPTS, "1").build());

    await().atMost(WAIT).until(() -> h.broker.deadLetters(Task.DEFAULT_QUEUE).size() == 1);
    DeadLetter dead = h.broker.deadLetters(Task.DEFAULT_QUEUE).get(0);
    assertThat(dead.failure().attempts()).isEqualTo(1);
    assertThat(h.events.all(TaskEvent.Failed.class)).hasSize(1);
  }

  @Test
  void maxAttemptsHeader_two_retriesThoughThePoolNeverWould() {
    h = PoolHarness.onFakeTime();
    h.start(
        c -> c.retryPolicy(RetryPolicy.builder().maxAttempts(1).build()),
        b -> b.handler("test", WorkerPoolTaskOverridesTest::fail));
    h.enqueue(aTask("twice").header(ReservedHeaders.MAX_ATTEMPTS, "2").build());

    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Failed.class).size() == 1);
    assertThat(h.events.all(TaskEvent.Failed.class).get(0).retryIn()).isPresent();
    assertThat(h.broker.deadLetters(Task.DEFAULT_QUEUE)).isEmpty();

    h.scheduler.advance(Duration.ofSeconds(10)); // past the backoff: the retry becomes ready
    await().atMost(WAIT).until(() -> h.broker.deadLetters(Task.DEFAULT_QUEUE).size() == 1);
    assertThat(h.broker.deadLetters(Task.DEFAULT_QUEUE).get(0).failure().attempts()).isEqualTo(2);
  }

  @Test
  void maxAttemptsHeader_malformed_usesThePoolsPolicy() {
    h = PoolHarness.onFakeTime();
    h.start(
        c -> c.retryPolicy(RetryPolicy.builder().maxAttempts(1).build()),
        b -> b.handler("test", WorkerPoolTaskOverridesTest::fail));
    h.enqueue(aTask("bad").header(ReservedHeaders.MAX_ATTEMPTS, "lots").build());

    await().atMost(WAIT).until(() -> h.broker.deadLetters(Task.DEFAULT_QUEUE).size() == 1);
    assertThat(h.events.all(TaskEvent.Failed.class)).hasSize(1);
  }

  @Test
  void timeoutHeader_overridesThePoolsTimeout() throws Exception {
    h = PoolHarness.onFakeTime();
    CountDownLatch started = new CountDownLatch(1);
    h.start(
        c ->
            c.timeout("test", Duration.ofMillis(50))
                .retryPolicy(RetryPolicy.builder().maxAttempts(1).build()),
        b -> b.handler("test", blocking(started)));
    h.enqueue(aTask("slow").header(ReservedHeaders.TIMEOUT_MS, "300").build());
    assertThat(started.await(20, SECONDS)).isTrue();

    h.scheduler.advance(Duration.ofMillis(299));
    assertThat(h.events.all(TaskEvent.TimedOut.class)).as("not at the pool's 50 ms").isEmpty();
    h.scheduler.advance(Duration.ofMillis(1));

    await().atMost(WAIT).until(() -> h.broker.deadLetters(Task.DEFAULT_QUEUE).size() == 1);
    assertThat(h.events.all(TaskEvent.TimedOut.class)).hasSize(1);
    assertThat(h.events.all(TaskEvent.TimedOut.class).get(0).timeout())
        .isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void timeoutHeader_appliesWhereThePoolHasNone() throws Exception {
    h = PoolHarness.onFakeTime();
    CountDownLatch started = new CountDownLatch(1);
    h.start(
        c -> c.retryPolicy(RetryPolicy.builder().maxAttempts(1).build()),
        b -> b.handler("test", blocking(started)));
    h.enqueue(aTask("slow").header(ReservedHeaders.TIMEOUT_MS, "100").build());
    assertThat(started.await(20, SECONDS)).isTrue();

    h.scheduler.advance(Duration.ofMillis(100));

    await().atMost(WAIT).until(() -> h.broker.deadLetters(Task.DEFAULT_QUEUE).size() == 1);
    assertThat(h.broker.deadLetters(Task.DEFAULT_QUEUE).get(0).failure().errorType())
        .isEqualTo(TaskTimeoutException.class.getName());
  }

  @Test
  void timeoutHeader_malformed_usesThePoolsTimeout() throws Exception {
    h = PoolHarness.onFakeTime();
    CountDownLatch started = new CountDownLatch(1);
    h.start(
        c ->
            c.timeout("test", Duration.ofMillis(100))
                .retryPolicy(RetryPolicy.builder().maxAttempts(1).build()),
        b -> b.handler("test", blocking(started)));
    h.enqueue(aTask("slow").header(ReservedHeaders.TIMEOUT_MS, "0").build());
    assertThat(started.await(20, SECONDS)).isTrue();

    h.scheduler.advance(Duration.ofMillis(100));

    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.TimedOut.class).size() == 1);
    assertThat(h.events.all(TaskEvent.TimedOut.class).get(0).timeout())
        .isEqualTo(Duration.ofMillis(100));
  }

  private static TaskHandler blocking(CountDownLatch started) {
    return t -> {
      started.countDown();
      new CountDownLatch(1).await(); // until the timeout interrupts it
    };
  }
}
