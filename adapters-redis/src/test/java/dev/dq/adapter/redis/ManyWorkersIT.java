package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import dev.dq.core.worker.TaskEvent;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisClient;

/**
 * Far more workers than pooled connections. Idle workers used to hold a pooled connection each in
 * BLPOP, so claims, acks and lease renewals waited for a connection, failed, and tasks ran twice.
 * Every task must run exactly once however many workers wait. The broker keeps its default pool of
 * 16 connections.
 */
final class ManyWorkersIT {
  private static final String QUEUE = "many";
  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final List<String> trouble = Collections.synchronizedList(new ArrayList<>());

  /**
   * {@code run --workers 64 --prefetch 1} on 1000 tasks of 200 ms, published while every worker
   * waits idle.
   */
  @Test
  void sixtyFourWorkers_onAPoolOfSixteen_runEveryTaskExactlyOnce() throws Exception {
    runAll(64, 1000, Duration.ofMillis(200));
  }

  @Test
  void aThousandAndTwentyFourWorkers_startProcessExactlyOnceAndStop() throws Exception {
    runAll(1024, 300, Duration.ofMillis(20));
  }

  /**
   * Renewals have connections of their own: a command pool that hundreds of workers keep busy never
   * delays them.
   */
  @Test
  void extend_whileEveryCommandConnectionIsTaken_stillRenews() throws Exception {
    RedisBrokerConfig config =
        RedisBrokerConfig.builder(redis.url())
            .poolSize(1)
            .socketTimeout(Duration.ofMillis(300))
            .build();
    try (RedisBroker broker = RedisBroker.connect(config)) {
      broker.enqueueAll(List.of(task("r-1"), task("r-2")), Duration.ofSeconds(5));
      List<Lease> leases = broker.dequeueBatch(QUEUE, 2, Duration.ofSeconds(30), Duration.ZERO);

      try (Connection taken = ((RedisClient) broker.commandClient()).getPool().getResource()) {
        assertThatThrownBy(() -> broker.ackAll(leases))
            .as("the command pool is exhausted")
            .isInstanceOf(BrokerUnavailableException.class)
            .hasMessageContaining("pool");

        assertThat(broker.extend(leases.get(0), Duration.ofSeconds(60)).expiresAt())
            .isAfter(leases.get(0).expiresAt());
        assertThat(broker.extendAll(leases, Duration.ofSeconds(60)))
            .allSatisfy(l -> assertThat(l).isPresent());
      }
      assertThat(broker.ackAll(leases)).isEmpty();
    }
  }

  private static Task task(String id) {
    return Task.builder("sleep").queue(QUEUE).id(id).payload("x").createdAt(Instant.EPOCH).build();
  }

  private void runAll(int workers, int tasks, Duration work) throws Exception {
    RedisBrokerConfig config = RedisBrokerConfig.builder(redis.url()).build();
    assertThat(config.poolSize()).isLessThan(workers);
    try (RedisBroker consumer = RedisBroker.connect(config);
        RedisBroker producer = RedisBroker.connect(config)) {
      WorkerPool pool =
          WorkerPool.builder(consumer)
              .config(WorkerPoolConfig.builder().workers(workers).prefetch(1).queue(QUEUE).build())
              .handler(
                  "sleep",
                  task -> {
                    runs.computeIfAbsent(task.id().value(), id -> new AtomicInteger())
                        .incrementAndGet();
                    Thread.sleep(work.toMillis()); // the work itself, as dq's sleep handler does
                  })
              .listener(this::record)
              .build();
      pool.start();
      try {
        List<Task> batch = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
          batch.add(task("t-" + i));
        }
        producer.enqueueAll(batch, Duration.ofSeconds(30));

        // Read through the producer: the consumer's pool is the one under test.
        await()
            .atMost(Duration.ofMinutes(3))
            .until(
                () ->
                    producer.stats(QUEUE).ready() == 0
                        && producer.stats(QUEUE).inFlight() == 0
                        && runs.size() == tasks);
      } finally {
        assertThat(pool.stop(Duration.ofSeconds(30))).as("stopped within grace").isTrue();
      }
      assertThat(trouble).as("failures, lost leases, hand-backs").isEmpty();
      assertThat(runs).hasSize(tasks);
      assertThat(runs.values())
          .allSatisfy(n -> assertThat(n.get()).as("runs of one task").isEqualTo(1));
      assertThat(consumer.leaseLostCount()).isZero();
    }
  }

  private void record(TaskEvent event) {
    if (event instanceof TaskEvent.Failed
        || event instanceof TaskEvent.LeaseLost
        || event instanceof TaskEvent.DeadLettered
        || event instanceof TaskEvent.Released) {
      trouble.add(event.toString());
    }
  }
}
