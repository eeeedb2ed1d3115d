package dev.dq.adapter.memory;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.QueueStats;
import dev.dq.core.retry.RetryPolicy;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The in-memory broker under a real worker pool, many producers and random failures: real threads
 * on both sides of the broker's lock, so this stays an adapter test (the pool's own behaviour is
 * tested in core).
 */
final class InMemoryBrokerPoolStressTest {
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

  private WorkerPool start(
      InstantSource clock,
      Consumer<WorkerPoolConfig.Builder> config,
      Consumer<WorkerPool.Builder> handlers) {
    broker = InMemoryBroker.builder().clock(clock).capacity(100_000).build();
    var cfg = WorkerPoolConfig.builder().workers(4).pollWait(Duration.ofMillis(50));
    config.accept(cfg);
    var builder = WorkerPool.builder(broker).config(cfg.build()).clock(clock).random(new Random(7));
    handlers.accept(builder);
    pool = builder.build();
    pool.start();
    return pool;
  }

  private QueueStats stats() {
    return broker.stats(Task.DEFAULT_QUEUE);
  }

  @ParameterizedTest(name = "prefetch {0}, ackBatch {1}")
  @CsvSource({"1, 1", "16, 16", "8, 3"})
  void stress_manyProducersAndRandomFailures_everyTaskSucceedsOnceOrIsDead(
      int prefetch, int ackBatch) throws Exception {
    int producers = 4;
    int perProducer = 2_500;
    ConcurrentHashMap<TaskId, AtomicInteger> succeeded =
        new ConcurrentHashMap<TaskId, AtomicInteger>();
    var random = new Random(42);
    start(
        InstantSource.system(),
        c ->
            c.workers(8)
                .prefetch(prefetch)
                .ackBatch(ackBatch)
                .retryPolicy(
                    RetryPolicy.builder()
                        .maxAttempts(3)
                        .backoff((attempt, r) -> Duration.ZERO)
                        .build()),
        b ->
            b.handler(
                "test",
                t -> {
                  boolean fail;
                  synchronized (random) {
                    fail = random.nextInt(5) == 0;
                  }
                  if (fail) {
                    throw new IllegalStateException("random failure");
                  }
                  succeeded.computeIfAbsent(t.id(), id -> new AtomicInteger()).incrementAndGet();
                }));

    Set<TaskId> accepted = ConcurrentHashMap.newKeySet();
    var threads = new Thread[producers];
    for (int p = 0; p < producers; p++) {
      int producer = p;
      threads[p] =
          new Thread(
              () -> {
                for (int i = 0; i < perProducer; i++) {
                  Task task = aTask("p" + producer + "-" + i).build();
                  try {
                    broker.enqueue(task, Duration.ofSeconds(30));
                    accepted.add(task.id());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                }
              });
      threads[p].start();
    }
    for (Thread t : threads) {
      t.join();
    }

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                succeeded.size() + broker.deadLetterQueue().size(Task.DEFAULT_QUEUE)
                    == producers * perProducer);
    assertThat(accepted).hasSize(producers * perProducer);
    assertThat(succeeded.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    for (DeadLetter dead :
        broker.deadLetterQueue().list(Task.DEFAULT_QUEUE, 0, Integer.MAX_VALUE)) {
      assertThat(succeeded).doesNotContainKey(dead.task().id());
      assertThat(dead.failure().attempts()).isEqualTo(3);
    }
    await().atMost(WAIT).until(() -> stats().equals(new QueueStats(Task.DEFAULT_QUEUE, 0, 0, 0)));
    System.out.printf(
        "stress (prefetch %d, ackBatch %d): accepted=%d succeeded=%d dead=%d lost=0 duplicates=0%n",
        prefetch,
        ackBatch,
        accepted.size(),
        succeeded.size(),
        broker.deadLetterQueue().size(Task.DEFAULT_QUEUE));
  }
}
