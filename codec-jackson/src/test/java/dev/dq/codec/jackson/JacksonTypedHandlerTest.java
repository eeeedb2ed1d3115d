package dev.dq.codec.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.client.DqClient;
import dev.dq.core.client.TaskRef;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.task.Task;
import dev.dq.core.worker.NonRetryableException;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Records through the client, the broker and a typed handler, as JSON. */
final class JacksonTypedHandlerTest {
  record Order(String id, int quantity) {}

  record Receipt(String order, long cents) {}

  private static final Duration WAIT = Duration.ofSeconds(20);
  private final InMemoryBroker broker = InMemoryBroker.builder().build();
  private final DqClient client = DqClient.builder(broker).codec(new JacksonCodec()).build();
  private WorkerPool pool;

  @AfterEach
  void tearDown() {
    if (pool != null) {
      pool.stop(Duration.ofSeconds(5));
    }
    broker.close();
  }

  @Test
  void handlerReceivesTheRecord_andItsResultComesBackDecoded() throws Exception {
    List<Order> seen = new CopyOnWriteArrayList<>();
    pool =
        WorkerPool.builder(broker)
            .config(WorkerPoolConfig.builder().workers(1).pollWait(Duration.ofMillis(50)).build())
            .handler(
                client.handler(
                    "bill",
                    Order.class,
                    (order, task) -> {
                      seen.add(order);
                      return new Receipt(order.id(), order.quantity() * 250L);
                    }))
            .build();
    pool.start();

    TaskRef ref = client.enqueue("bill", new Order("o-7", 4));

    assertThat(client.result(ref, WAIT, Receipt.class)).contains(new Receipt("o-7", 1000));
    assertThat(seen).containsExactly(new Order("o-7", 4));
    assertThat(client.find(ref).orElseThrow().result().orElseThrow().asUtf8())
        .isEqualTo("{\"order\":\"o-7\",\"cents\":1000}");
  }

  @Test
  void payloadOfTheWrongShape_deadLettersAtOnce_namingTheType() throws Exception {
    pool =
        WorkerPool.builder(broker)
            .config(WorkerPoolConfig.builder().workers(1).pollWait(Duration.ofMillis(50)).build())
            .handler(client.handler("bill", Order.class, (order, task) -> null))
            .build();
    pool.start();

    TaskRef ref = client.enqueue("bill", List.of("not", "an", "order"));

    await()
        .atMost(WAIT)
        .until(() -> broker.deadLetterQueue().get(Task.DEFAULT_QUEUE, ref.id()).isPresent());
    DeadLetter dead = broker.deadLetterQueue().get(Task.DEFAULT_QUEUE, ref.id()).orElseThrow();
    assertThat(dead.failure().errorType()).isEqualTo(NonRetryableException.class.getName());
    assertThat(dead.failure().message()).contains(Order.class.getName());
    assertThat(dead.failure().attempts()).isEqualTo(1);
  }
}
