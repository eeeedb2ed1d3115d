package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.client.DqClient;
import dev.dq.core.client.EnqueueOptions;
import dev.dq.core.client.TaskNotSucceededException;
import dev.dq.core.client.TaskRef;
import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.retry.RetryPolicy;
import dev.dq.core.task.ReservedHeaders;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The typed client end to end on Redis, with producer and worker on separate broker clients (as
 * they are in separate processes): options travel in the task's JSON and headers, the typed
 * handler's result comes back decoded through {@code records}, and unique keys and cancel go
 * through the Redis scripts.
 */
final class RedisClientIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  private final RedisBroker producerSide = redis.broker(10_000);
  private final RedisBroker workerSide = redis.broker(10_000);
  private final DqClient client = DqClient.builder(producerSide).build();
  private WorkerPool pool;

  @AfterEach
  void tearDown() {
    if (pool != null) {
      pool.stop(Duration.ofSeconds(5));
    }
    producerSide.close();
    workerSide.close();
  }

  private void start(WorkerPool.Builder builder, int poolMaxAttempts) {
    pool =
        builder
            .config(
                WorkerPoolConfig.builder()
                    .workers(2)
                    .pollWait(Duration.ofMillis(50))
                    .retryPolicy(
                        RetryPolicy.builder()
                            .maxAttempts(poolMaxAttempts)
                            .backoff((attempt, random) -> Duration.ofMillis(5))
                            .build())
                    .build())
            .build();
    pool.start();
  }

  @Test
  void typedHandlersResult_isAwaitedAcrossBrokerClients_andDecoded() throws Exception {
    TaskRef early =
        client.enqueue(
            "greet", "later", EnqueueOptions.builder().delay(Duration.ofMillis(300)).build());
    start(
        WorkerPool.builder(workerSide)
            .handler(client.handler("greet", String.class, (name, task) -> "hello, " + name)),
        1);
    TaskRef now = client.enqueue("greet", "world");

    assertThat(client.result(now, WAIT, String.class)).contains("hello, world");
    assertThat(client.result(early, WAIT, String.class)).contains("hello, later");
    assertThat(client.find(now).orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  void perTaskMaxAttempts_travelInTheHeaders_andTheWorkerHonoursThem() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    start(
        WorkerPool.builder(workerSide)
            .handler(
                "fail",
                task -> {
                  runs.incrementAndGet();
                  throw new IllegalStateException("attempt " + task.attempt());
                }),
        5);

    TaskRef ref = client.enqueue("fail", "x", EnqueueOptions.builder().maxAttempts(2).build());

    assertThatThrownBy(() -> client.result(ref, WAIT, String.class))
        .isInstanceOf(TaskNotSucceededException.class)
        .hasMessageContaining("attempt 2");
    var info = client.find(ref).orElseThrow();
    assertThat(info.state()).isEqualTo(TaskState.DEAD);
    assertThat(info.headers()).containsEntry(ReservedHeaders.MAX_ATTEMPTS, "2");
    assertThat(runs).as("the pool alone would have made 5").hasValue(2);
  }

  @Test
  void uniqueKey_secondEnqueueAnswersTheHolder_untilItsTaskEnds() throws Exception {
    EnqueueOptions once = EnqueueOptions.builder().uniqueKey(UniqueKey.untilDone("k1")).build();

    TaskRef first = client.enqueue("greet", "a", once);
    TaskRef second = client.enqueue("greet", "b", once);

    assertThat(first.enqueued()).isTrue();
    assertThat(second.enqueued()).isFalse();
    assertThat(second.id()).isEqualTo(first.id());

    start(
        WorkerPool.builder(workerSide)
            .handler(client.handler("greet", String.class, (name, task) -> name)),
        1);
    assertThat(client.result(first, WAIT, String.class)).contains("a");

    TaskRef third = client.enqueue("greet", "c", once);
    assertThat(third.enqueued()).isTrue();
    assertThat(client.result(third, WAIT, String.class)).contains("c");
  }

  @Test
  void cancel_ofARunningTask_interruptsItsHandlerOnTheOtherClient() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    start(
        WorkerPool.builder(workerSide)
            .handler(
                "slow",
                task -> {
                  running.countDown();
                  try {
                    new CountDownLatch(1).await();
                  } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                  }
                }),
        3);
    TaskRef ref = client.enqueue("slow", "x");
    assertThat(running.await(20, TimeUnit.SECONDS)).isTrue();

    assertThat(client.cancel(ref)).isEqualTo(CancelOutcome.REQUESTED);

    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(client.await(ref, WAIT).orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
    assertThat(client.cancel(ref)).isEqualTo(CancelOutcome.ALREADY_ENDED);
  }
}
