package dev.dq.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.client.DqClient;
import dev.dq.core.client.EnqueueOptions;
import dev.dq.core.client.TaskNotSucceededException;
import dev.dq.core.client.TaskRef;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.retry.RetryPolicy;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The typed client end to end on the in-memory broker: a typed handler's result is stored with the
 * task and {@link DqClient#result} returns it decoded.
 */
final class InMemoryClientResultsTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final InMemoryBroker broker = InMemoryBroker.builder().build();
  private final DqClient client = DqClient.builder(broker).build();
  private WorkerPool pool;

  @AfterEach
  void tearDown() {
    if (pool != null) {
      pool.stop(Duration.ofSeconds(5));
    }
    broker.close();
  }

  private void start(WorkerPool.Builder builder) {
    pool =
        builder
            .config(
                WorkerPoolConfig.builder()
                    .workers(2)
                    .pollWait(Duration.ofMillis(50))
                    .retryPolicy(RetryPolicy.builder().maxAttempts(1).build())
                    .build())
            .build();
    pool.start();
  }

  @Test
  void typedHandlersResult_isAwaitedAndDecoded() throws Exception {
    start(
        WorkerPool.builder(broker)
            .handler(client.handler("greet", String.class, (name, task) -> "hello, " + name)));

    TaskRef ref = client.enqueue("greet", "world");

    assertThat(client.result(ref, WAIT, String.class)).contains("hello, world");
    assertThat(client.find(ref).orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
  }

  @Test
  void awaitBeforeTheTaskRuns_getsItsResultOnceItEnds() throws Exception {
    TaskRef ref =
        client.enqueue(
            "greet", "later", EnqueueOptions.builder().delay(Duration.ofMillis(300)).build());
    start(
        WorkerPool.builder(broker)
            .handler(client.handler("greet", String.class, (name, task) -> name.toUpperCase())));

    assertThat(client.result(ref, WAIT, String.class)).contains("LATER");
  }

  @Test
  void deadTask_hasNoResult_butItsState() throws Exception {
    start(
        WorkerPool.builder(broker)
            .handler(
                client.handler(
                    "fail",
                    String.class,
                    (name, task) -> {
                      throw new IllegalStateException("no " + name);
                    })));

    TaskRef ref = client.enqueue("fail", "luck");

    assertThatThrownBy(() -> client.result(ref, WAIT, String.class))
        .isInstanceOf(TaskNotSucceededException.class)
        .hasMessageContaining("ended dead")
        .hasMessageContaining("no luck");
  }

  @Test
  void notEndedInTime_isEmpty() throws Exception {
    TaskRef ref = client.enqueue("nobody-serves-this", "x");

    assertThat(client.result(ref, Duration.ofMillis(100), String.class)).isEmpty();
  }
}
