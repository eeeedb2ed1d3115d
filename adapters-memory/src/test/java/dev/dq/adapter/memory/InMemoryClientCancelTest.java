package dev.dq.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dq.core.client.DqClient;
import dev.dq.core.client.EnqueueOptions;
import dev.dq.core.client.TaskNotSucceededException;
import dev.dq.core.client.TaskRef;
import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.DeleteOutcome;
import dev.dq.core.lifecycle.RunNowOutcome;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.task.TaskId;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cancelling, running now and deleting through the typed client on the in-memory broker. */
final class InMemoryClientCancelTest {
  private final InMemoryBroker broker = InMemoryBroker.builder().build();
  private final DqClient client = DqClient.builder(broker).build();

  @AfterEach
  void tearDown() {
    broker.close();
  }

  @Test
  void waitingTask_isCancelled_once_andItsResultSaysSo() throws Exception {
    TaskRef ref =
        client.enqueue("t", "a", EnqueueOptions.builder().delay(Duration.ofMinutes(1)).build());

    assertThat(client.cancel(ref)).isEqualTo(CancelOutcome.CANCELLED);
    assertThat(client.cancel(ref)).isEqualTo(CancelOutcome.ALREADY_ENDED);
    assertThat(client.cancel(TaskRef.of(ref.queue(), new TaskId("nobody"))))
        .isEqualTo(CancelOutcome.NOT_FOUND);
    assertThatThrownBy(() -> client.result(ref, Duration.ZERO, String.class))
        .isInstanceOf(TaskNotSucceededException.class)
        .hasMessageContaining("ended cancelled");
  }

  @Test
  void runningTask_isInterrupted_andNotRetried() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    WorkerPool pool =
        WorkerPool.builder(broker)
            .config(WorkerPoolConfig.builder().workers(1).pollWait(Duration.ofMillis(50)).build())
            .handler(
                client.handler(
                    "sleep",
                    String.class,
                    (s, task) -> {
                      runs.incrementAndGet();
                      started.countDown();
                      try {
                        new CountDownLatch(1).await();
                      } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                      }
                      return null;
                    }))
            .build();
    pool.start();
    try {
      TaskRef ref = client.enqueue("sleep", "x");
      assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();

      assertThat(client.cancel(ref)).isEqualTo(CancelOutcome.REQUESTED);

      assertThat(interrupted.await(20, TimeUnit.SECONDS)).isTrue();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> client.cancel(ref) == CancelOutcome.ALREADY_ENDED);
      assertThat(runs).as("not retried").hasValue(1);
      assertThat(broker.stats(ref.queue()).ready() + broker.stats(ref.queue()).delayed()).isZero();
    } finally {
      pool.stop(Duration.ofSeconds(5));
    }
  }

  @Test
  void delayedTask_runNow_thenDelete_goneForGood() throws Exception {
    TaskRef ref =
        client.enqueue("t", "a", EnqueueOptions.builder().delay(Duration.ofHours(1)).build());

    assertThat(client.runNow(ref)).isEqualTo(RunNowOutcome.MADE_READY);
    assertThat(client.find(ref).orElseThrow().state()).isEqualTo(TaskState.READY);
    assertThat(client.delete(ref)).isEqualTo(DeleteOutcome.DELETED);

    assertThat(client.find(ref)).isEmpty();
    assertThat(client.delete(ref)).isEqualTo(DeleteOutcome.NOT_FOUND);
    assertThat(broker.dequeue(ref.queue(), Duration.ofSeconds(30), Duration.ZERO)).isEmpty();
  }
}
