package dev.dq.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.client.DqClient;
import dev.dq.core.client.EnqueueOptions;
import dev.dq.core.client.StringCodec;
import dev.dq.core.client.TaskRef;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.Lease;
import dev.dq.core.retry.RetryPolicy;
import dev.dq.core.task.ReservedHeaders;
import dev.dq.core.task.Task;
import dev.dq.core.worker.TaskTimeoutException;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import dev.dq.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The typed client on the in-memory broker: every enqueue option lands where it should, and the
 * per-task attempts and timeout are honoured by a real worker pool.
 */
final class InMemoryClientTest {
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private InMemoryBroker broker;
  private WorkerPool pool;

  @AfterEach
  void tearDown() {
    if (pool != null) {
      pool.stop(Duration.ofSeconds(5));
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void delayAndRunAt_holdTheTaskUntilItsTime() throws Exception {
    FakeClock clock = FakeClock.at(T0);
    broker = InMemoryBroker.builder().clock(clock).build();
    DqClient client = DqClient.builder(broker).clock(clock).build();

    TaskRef in30 =
        client.enqueue("t", "a", EnqueueOptions.builder().delay(Duration.ofSeconds(30)).build());
    TaskRef at60 =
        client.enqueue("t", "b", EnqueueOptions.builder().runAt(T0.plusSeconds(60)).build());

    assertThat(broker.stats(Task.DEFAULT_QUEUE).delayed()).isEqualTo(2);
    assertThat(take()).isEmpty();
    clock.advance(Duration.ofSeconds(30));
    assertThat(take().map(l -> l.task().id())).contains(in30.id());
    assertThat(take()).isEmpty();
    clock.advance(Duration.ofSeconds(30));
    assertThat(take().map(l -> l.task().id())).contains(at60.id());
  }

  @Test
  void priorityQueueHeadersAndId_reachTheDeliveredTask() throws Exception {
    FakeClock clock = FakeClock.at(T0);
    broker = InMemoryBroker.builder().clock(clock).build();
    DqClient client = DqClient.builder(broker).clock(clock).build();

    client.enqueue("t", "low", EnqueueOptions.builder().queue("q").priority(1).build());
    TaskRef high =
        client.enqueue(
            "t",
            "high",
            EnqueueOptions.builder()
                .queue("q")
                .priority(9)
                .header("tenant", "acme")
                .maxAttempts(4)
                .timeout(Duration.ofSeconds(2))
                .id(new dev.dq.core.task.TaskId("chosen"))
                .build());

    Task first = broker.dequeue("q", LEASE, Duration.ZERO).orElseThrow().task();
    assertThat(first.id()).isEqualTo(high.id());
    assertThat(first.id().value()).isEqualTo("chosen");
    assertThat(first.payload().asUtf8()).isEqualTo("high");
    assertThat(first.createdAt()).isEqualTo(T0);
    assertThat(first.headers())
        .containsExactly(
            Map.entry("tenant", "acme"),
            Map.entry(ReservedHeaders.MAX_ATTEMPTS, "4"),
            Map.entry(ReservedHeaders.TIMEOUT_MS, "2000"));
    assertThat(broker.dequeue("q", LEASE, Duration.ZERO).orElseThrow().task().payload().asUtf8())
        .isEqualTo("low");
  }

  @Test
  void maxAttempts_isHonouredByTheWorker() throws Exception {
    broker = InMemoryBroker.builder().build();
    AtomicInteger runs = new AtomicInteger();
    pool =
        startPool(
            RetryPolicy.builder().maxAttempts(5).backoff((attempt, r) -> Duration.ofMillis(5)),
            WorkerPool.builder(broker)
                .handler(
                    "fail",
                    task -> {
                      runs.incrementAndGet();
                      throw new IllegalStateException("attempt " + task.attempt());
                    }));
    DqClient client = DqClient.builder(broker).build();

    TaskRef ref = client.enqueue("fail", "x", EnqueueOptions.builder().maxAttempts(2).build());

    DeadLetter dead = awaitDead(ref);
    assertThat(dead.failure().attempts()).isEqualTo(2);
    assertThat(dead.failure().message()).isEqualTo("attempt 2");
    assertThat(runs).as("the pool would have made 5").hasValue(2);
  }

  @Test
  void timeout_isHonouredByTheWorker() throws Exception {
    broker = InMemoryBroker.builder().build();
    CountDownLatch interrupted = new CountDownLatch(1);
    pool =
        startPool(
            RetryPolicy.builder().maxAttempts(3),
            WorkerPool.builder(broker)
                .handler(
                    "slow",
                    task -> {
                      try {
                        new CountDownLatch(1).await();
                      } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                      }
                    }));
    DqClient client = DqClient.builder(broker).build();

    TaskRef ref =
        client.enqueue(
            "slow",
            "x",
            EnqueueOptions.builder().timeout(Duration.ofMillis(200)).maxAttempts(1).build());

    DeadLetter dead = awaitDead(ref);
    assertThat(dead.failure().errorType()).isEqualTo(TaskTimeoutException.class.getName());
    assertThat(dead.failure().message()).contains("PT0.2S");
    assertThat(interrupted.getCount()).isZero();
  }

  @Test
  void typedHandler_receivesTheDecodedValue_throughAWorkerPool() throws Exception {
    broker = InMemoryBroker.builder().build();
    DqClient client = DqClient.builder(broker).codec(StringCodec.INSTANCE).build();
    List<String> seen = new CopyOnWriteArrayList<>();
    pool =
        startPool(
            RetryPolicy.builder(),
            WorkerPool.builder(broker)
                .handler(
                    client.handler(
                        "greet",
                        String.class,
                        (name, task) -> {
                          seen.add(name + "@" + task.attempt());
                          return "hello, " + name;
                        })));

    client.enqueue("greet", "world");

    await().atMost(WAIT).until(() -> seen.size() == 1);
    assertThat(seen).containsExactly("world@1");
    await().atMost(WAIT).until(() -> broker.stats(Task.DEFAULT_QUEUE).inFlight() == 0);
  }

  private Optional<Lease> take() throws InterruptedException {
    return broker.dequeue(Task.DEFAULT_QUEUE, LEASE, Duration.ZERO);
  }

  private DeadLetter awaitDead(TaskRef ref) {
    await()
        .atMost(WAIT)
        .until(() -> broker.deadLetterQueue().get(ref.queue(), ref.id()).isPresent());
    return broker.deadLetterQueue().get(ref.queue(), ref.id()).orElseThrow();
  }

  private static WorkerPool startPool(RetryPolicy.Builder retry, WorkerPool.Builder builder) {
    WorkerPool p =
        builder
            .config(
                WorkerPoolConfig.builder()
                    .workers(2)
                    .pollWait(Duration.ofMillis(50))
                    .retryPolicy(retry.build())
                    .build())
            .build();
    p.start();
    return p;
  }
}
