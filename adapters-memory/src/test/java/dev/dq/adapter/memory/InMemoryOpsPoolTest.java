package dev.dq.adapter.memory;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.ops.LiveWorker;
import dev.dq.core.ops.RunningTask;
import dev.dq.core.ops.ThroughputCounts;
import dev.dq.core.ops.ThroughputPoint;
import dev.dq.core.retry.RetryPolicy;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real worker pool on the in-memory broker reports itself in the worker registry while it runs
 * (slots, running tasks), leaves it when it stops, and records its attempts' throughput.
 */
final class InMemoryOpsPoolTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String TYPE = dev.dq.testing.TaskFixtures.TYPE;

  private final CountDownLatch release = new CountDownLatch(1);
  private final InMemoryBroker broker = InMemoryBroker.builder().build();
  private WorkerPool pool;

  @AfterEach
  void tearDown() {
    release.countDown();
    if (pool != null) {
      pool.stop(Duration.ofSeconds(5));
    }
    broker.close();
  }

  @Test
  void runningPool_listedWithItsRunningTask_goneAfterStop_countsRecorded() throws Exception {
    pool =
        WorkerPool.builder(broker)
            .config(
                WorkerPoolConfig.builder()
                    .workers(3)
                    .pollWait(Duration.ofMillis(50))
                    .retryPolicy(RetryPolicy.builder().maxAttempts(1).build())
                    .build())
            .handler(
                TYPE,
                task -> {
                  switch (task.payload().asUtf8()) {
                    case "block" -> {
                      if (!release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new IllegalStateException("never released");
                      }
                    }
                    case "fail" -> throw new IllegalStateException("boom");
                    default -> {}
                  }
                })
            .build();
    pool.start();
    broker.enqueue(aTask("slow").payload("block").build(), Duration.ZERO);

    await()
        .atMost(WAIT)
        .until(
            () ->
                broker.list().stream()
                    .anyMatch(
                        w -> w.status().running().size() == 1 && w.status().slotsBusy() == 1));
    LiveWorker me = broker.list().get(0);
    assertThat(me.status().id())
        .startsWith(me.status().host() + ":" + ProcessHandle.current().pid() + ":");
    assertThat(me.status().slotsTotal()).isEqualTo(3);
    assertThat(me.status().queues()).containsExactly(Task.DEFAULT_QUEUE);
    assertThat(me.status().running())
        .containsExactly(new RunningTask(Task.DEFAULT_QUEUE, new TaskId("slow")));

    broker.enqueue(aTask("ok").payload("fine").build(), Duration.ZERO);
    broker.enqueue(aTask("bad").payload("fail").build(), Duration.ZERO);
    await().atMost(WAIT).until(() -> broker.deadLetterQueue().size(Task.DEFAULT_QUEUE) == 1);
    release.countDown();
    assertThat(pool.stop(Duration.ofSeconds(5))).isTrue();

    assertThat(broker.list()).isEmpty();
    List<ThroughputPoint> history = broker.history(Task.DEFAULT_QUEUE, 2);
    ThroughputCounts total =
        history.stream()
            .map(ThroughputPoint::counts)
            .reduce(ThroughputCounts.NONE, ThroughputCounts::plus);
    assertThat(total).isEqualTo(new ThroughputCounts(2, 1, 1));
  }
}
