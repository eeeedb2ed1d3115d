package dev.dq.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.client.DqClient;
import dev.dq.core.client.EnqueueOptions;
import dev.dq.core.client.TaskRef;
import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.task.Task;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Unique enqueues through the typed client on the in-memory broker. */
final class InMemoryClientUniqueTest {
  private final InMemoryBroker broker = InMemoryBroker.builder().build();
  private final DqClient client = DqClient.builder(broker).build();

  @AfterEach
  void tearDown() {
    broker.close();
  }

  @Test
  void secondEnqueueWithAHeldKey_answersTheHolder_andEnqueuesNothing() throws Exception {
    EnqueueOptions once = EnqueueOptions.builder().uniqueKey(UniqueKey.untilDone("k1")).build();

    TaskRef first = client.enqueue("t", "a", once);
    TaskRef second = client.enqueue("t", "b", once);

    assertThat(first.enqueued()).isTrue();
    assertThat(second.enqueued()).isFalse();
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(broker.stats(Task.DEFAULT_QUEUE).ready()).isEqualTo(1);
  }

  @Test
  void uniqueWithDelay_isDelayed() throws Exception {
    client.enqueue(
        "t",
        "a",
        EnqueueOptions.builder()
            .uniqueKey(UniqueKey.forWindow("k2", Duration.ofMinutes(1)))
            .delay(Duration.ofMinutes(5))
            .build());

    assertThat(broker.stats(Task.DEFAULT_QUEUE).delayed()).isEqualTo(1);
  }

  @Test
  void keyHeldUntilDone_isFreeAgainOnceItsTaskSucceeded() throws Exception {
    WorkerPool pool =
        WorkerPool.builder(broker)
            .config(WorkerPoolConfig.builder().workers(1).pollWait(Duration.ofMillis(50)).build())
            .handler(client.handler("t", String.class, (s, task) -> s.toUpperCase()))
            .build();
    pool.start();
    try {
      EnqueueOptions once = EnqueueOptions.builder().uniqueKey(UniqueKey.untilDone("k3")).build();
      TaskRef first = client.enqueue("t", "a", once);
      assertThat(client.result(first, Duration.ofSeconds(20), String.class)).contains("A");

      TaskRef again = client.enqueue("t", "b", once);

      assertThat(again.enqueued()).isTrue();
      assertThat(again.id()).isNotEqualTo(first.id());
      assertThat(client.result(again, Duration.ofSeconds(20), String.class)).contains("B");
    } finally {
      pool.stop(Duration.ofSeconds(5));
    }
  }
}
