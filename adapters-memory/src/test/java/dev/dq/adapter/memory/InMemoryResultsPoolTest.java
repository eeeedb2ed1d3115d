package dev.dq.adapter.memory;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.retry.ExponentialBackoff;
import dev.dq.core.retry.RetryPolicy;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.task.TaskLimits;
import dev.dq.core.worker.ResultTaskHandler;
import dev.dq.core.worker.TaskEvent;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real worker pool on the in-memory broker: results reach the task's record through {@code
 * TaskLookup.complete}, a refused (too large) result dead-letters only its own task, and a retried
 * task shows its last error.
 */
final class InMemoryResultsPoolTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int LIMIT = 64;

  private final List<TaskEvent> events = new CopyOnWriteArrayList<>();
  private InMemoryBroker broker;
  private WorkerPool pool;

  @AfterEach
  void tearDown() {
    if (pool != null) {
      pool.stop(Duration.ofSeconds(5));
    }
    broker.close();
  }

  private void start(String type, ResultTaskHandler handler, RetryPolicy retries) {
    broker = InMemoryBroker.builder().limits(TaskLimits.DEFAULT.withMaxResultBytes(LIMIT)).build();
    pool =
        WorkerPool.builder(broker)
            .config(
                WorkerPoolConfig.builder()
                    .workers(2)
                    .prefetch(8)
                    .ackBatch(8)
                    .pollWait(Duration.ofMillis(50))
                    .retryPolicy(retries)
                    .build())
            .handler(type, handler)
            .listener(events::add)
            .build();
    pool.start();
  }

  private TaskInfo awaitEnd(String id) throws InterruptedException {
    return broker.await(Task.DEFAULT_QUEUE, new TaskId(id), WAIT).orElseThrow();
  }

  @Test
  void results_storedWithTheRecord_andCounted() throws Exception {
    start(TYPE, task -> Payload.ofUtf8("r-" + task.payload().asUtf8()), RetryPolicy.DEFAULT);
    for (int i = 0; i < 20; i++) {
      broker.enqueue(aTask("t" + i).payload("p" + i).build(), Duration.ZERO);
    }

    for (int i = 0; i < 20; i++) {
      TaskInfo info = awaitEnd("t" + i);
      assertThat(info.state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(info.result()).contains(Payload.ofUtf8("r-p" + i));
    }
    await()
        .atMost(WAIT)
        .until(
            () ->
                events.stream()
                        .filter(e -> e instanceof TaskEvent.Succeeded s && s.hasResult())
                        .count()
                    == 20);
  }

  @Test
  void resultTooLarge_deadLettersOnlyThatTask() throws Exception {
    start(
        TYPE,
        task ->
            task.id().value().equals("big")
                ? Payload.of(new byte[LIMIT + 1])
                : Payload.ofUtf8("small"),
        RetryPolicy.DEFAULT);
    broker.enqueueAll(
        List.of(aTask("a").build(), aTask("big").build(), aTask("b").build()), Duration.ZERO);

    TaskInfo big = awaitEnd("big");
    assertThat(big.state()).isEqualTo(TaskState.DEAD);
    assertThat(big.lastError().orElseThrow().errorType()).isEqualTo("dq.result-too-large");
    assertThat(awaitEnd("a").result()).contains(Payload.ofUtf8("small"));
    assertThat(awaitEnd("b").result()).contains(Payload.ofUtf8("small"));
    assertThat(broker.deadLetterQueue().get(Task.DEFAULT_QUEUE, new TaskId("big"))).isPresent();
  }

  @Test
  void retrying_showsTheLastError() throws Exception {
    RetryPolicy slowRetry =
        RetryPolicy.builder()
            .maxAttempts(3)
            .backoff(new ExponentialBackoff(Duration.ofHours(1), 1, Duration.ofHours(1), 0))
            .build();
    start(
        TYPE,
        task -> {
          throw new IllegalStateException("flaky downstream");
        },
        slowRetry);
    broker.enqueue(aTask("f1").build(), Duration.ZERO);

    await()
        .atMost(WAIT)
        .until(
            () ->
                broker
                    .find(Task.DEFAULT_QUEUE, new TaskId("f1"))
                    .map(i -> i.state() == TaskState.RETRYING)
                    .orElse(false));
    TaskInfo info = broker.find(Task.DEFAULT_QUEUE, new TaskId("f1")).orElseThrow();
    assertThat(info.attempt()).isEqualTo(2);
    assertThat(info.lastError().orElseThrow().errorType())
        .isEqualTo(IllegalStateException.class.getName());
    assertThat(info.lastError().orElseThrow().message()).isEqualTo("flaky downstream");
  }

  private static final String TYPE = dev.dq.testing.TaskFixtures.TYPE;
}
