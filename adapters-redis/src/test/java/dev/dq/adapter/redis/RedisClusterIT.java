package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.dq.core.port.Broker;
import dev.dq.core.task.Task;
import dev.dq.core.worker.TaskEvent;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import dev.dq.testing.BackgroundCall;
import dev.dq.testing.BrokerAndDeadLetters;
import dev.dq.testing.BrokerAndSchedules;
import dev.dq.testing.BrokerContract;
import dev.dq.testing.DeadLetterQueueContract;
import dev.dq.testing.PriorityContract;
import dev.dq.testing.QueuePausesContract;
import dev.dq.testing.SchedulesContract;
import dev.dq.testing.TaskCancelsContract;
import dev.dq.testing.TaskControlsContract;
import dev.dq.testing.TaskLookupContract;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The adapter on a real 3-node Redis Cluster. The shared contract suites run unchanged (their
 * queues {@code default} and {@code other} live on different nodes), then producers and a worker
 * pool use queues spread over all three nodes. Every script declares all its keys and all of a
 * queue's keys share one slot, so no command may fail with CROSSSLOT and nothing may be lost.
 */
final class RedisClusterIT {
  static TestRedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = TestRedisCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Nested
  final class Broker_onCluster extends BrokerContract {
    @Override
    protected Broker createBroker(InstantSource clock, int capacityPerQueue) {
      cluster.flushAll();
      return cluster.broker(clock, capacityPerQueue);
    }

    @Override
    protected void awaitBlocked(BackgroundCall<?> call) {
      await().atMost(PATIENCE).until(() -> TestRedis.isWaitingInRedis(call));
    }
  }

  /** Every key a limited claim touches shares its queue's slot, so the limits work on a cluster. */
  @Nested
  final class Limits_onCluster extends dev.dq.testing.LimitsContract {
    @Override
    protected Broker createBroker(InstantSource clock) {
      cluster.flushAll();
      return cluster.broker(clock, 1_000);
    }

    @Override
    protected void awaitBlocked(BackgroundCall<?> call) {
      await().atMost(PATIENCE).until(() -> TestRedis.isWaitingInRedis(call));
    }
  }

  @Nested
  final class Priorities_onCluster extends PriorityContract {
    @Override
    protected BrokerAndDeadLetters create(InstantSource clock, int capacityPerQueue) {
      cluster.flushAll();
      RedisBroker broker = cluster.broker(clock, capacityPerQueue);
      return new BrokerAndDeadLetters(broker, broker.deadLetterQueue());
    }
  }

  @Nested
  final class DeadLetterQueue_onCluster extends DeadLetterQueueContract {
    @Override
    protected BrokerAndDeadLetters create(InstantSource clock, int capacityPerQueue) {
      cluster.flushAll();
      RedisBroker broker = cluster.broker(clock, capacityPerQueue);
      return new BrokerAndDeadLetters(broker, broker.deadLetterQueue());
    }
  }

  @Nested
  final class Schedules_onCluster extends SchedulesContract {
    @Override
    protected BrokerAndSchedules create(InstantSource clock, int capacityPerQueue) {
      cluster.flushAll();
      RedisBroker broker = cluster.broker(clock, capacityPerQueue);
      return new BrokerAndSchedules(broker, broker.schedules());
    }
  }

  @Nested
  final class QueuePauses_onCluster extends QueuePausesContract {
    @Override
    protected Broker createBroker(InstantSource clock) {
      cluster.flushAll();
      return cluster.broker(clock, 1_000);
    }

    @Override
    protected void awaitBlocked(BackgroundCall<?> call) {
      await().atMost(PATIENCE).until(() -> TestRedis.isWaitingInRedis(call));
    }
  }

  @Nested
  final class TaskCancels_onCluster extends TaskCancelsContract {
    @Override
    protected Broker createBroker(InstantSource clock) {
      cluster.flushAll();
      return cluster.broker(clock, 1_000);
    }
  }

  @Nested
  final class TaskControls_onCluster extends TaskControlsContract {
    @Override
    protected Broker createBroker(InstantSource clock) {
      cluster.flushAll();
      return cluster.broker(clock, 1_000);
    }

    @Override
    protected dev.dq.core.port.DeadLetterQueue deadLetterQueue() {
      return ((RedisBroker) broker).deadLetterQueue();
    }

    /** Its level says 3 while it waits in the list of level 5. */
    @Override
    protected void mislay(dev.dq.core.task.TaskId id) {
      cluster
          .nodes()
          .get(TestRedisCluster.nodeOf(QUEUE))
          .admin()
          .hset(RedisKeys.of(QUEUE).priorities(), id.value(), "3");
    }
  }

  @Nested
  final class TaskLookup_onCluster extends TaskLookupContract {
    @Override
    protected Broker createBroker(InstantSource clock) {
      cluster.flushAll();
      return cluster.broker(clock, 1_000);
    }
  }

  /** {@code dq:workers} is one global key read and written by single-key scripts. */
  @Nested
  final class WorkerRegistry_onCluster extends dev.dq.testing.WorkerRegistryContract {
    @Override
    protected Broker createBroker(InstantSource clock) {
      cluster.flushAll();
      return cluster.broker(clock, 1_000);
    }
  }

  @Nested
  final class Throughput_onCluster extends dev.dq.testing.ThroughputContract {
    @Override
    protected Broker createBroker(InstantSource clock) {
      cluster.flushAll();
      return cluster.broker(clock, 1_000);
    }
  }

  @Nested
  final class TaskBrowser_onCluster extends dev.dq.testing.TaskBrowserContract {
    @Override
    protected Broker createBroker(InstantSource clock) {
      cluster.flushAll();
      return cluster.broker(clock, 1_000);
    }
  }

  @Nested
  final class UniqueTasks_onCluster extends dev.dq.testing.UniqueTasksContract {
    @Override
    protected BrokerAndDeadLetters create(InstantSource clock, int capacityPerQueue) {
      cluster.flushAll();
      RedisBroker broker = cluster.broker(clock, capacityPerQueue);
      return new BrokerAndDeadLetters(broker, broker.deadLetterQueue());
    }
  }

  @Nested
  final class TaskRetention_onCluster extends dev.dq.testing.TaskRetentionContract {
    @Override
    protected BrokerAndDeadLetters create(InstantSource clock) {
      cluster.flushAll();
      RedisBroker broker = cluster.broker(clock, 10_000);
      return new BrokerAndDeadLetters(broker, broker.deadLetterQueue());
    }

    @Override
    protected void recordFinished(String queue, String id, java.time.Instant finishedAt) {
      RedisTaskState.recordFinished(nodeAdmin(queue), queue, id, finishedAt);
    }

    @Override
    protected List<String> leftOf(String queue, String id) {
      return RedisTaskState.leftOf(nodeAdmin(queue), queue, id);
    }

    private redis.clients.jedis.RedisClient nodeAdmin(String queue) {
      return cluster.nodes().get(TestRedisCluster.nodeOf(queue)).admin();
    }
  }

  @Test
  void contractQueues_liveOnDifferentNodes() {
    assertThat(TestRedisCluster.nodeOf(Task.DEFAULT_QUEUE))
        .isNotEqualTo(TestRedisCluster.nodeOf("other"));
  }

  @Test
  void clusterUrl_firstSeedDown_reachesTheClusterThroughTheNextSeed() throws Exception {
    cluster.flushAll();
    String seeds =
        "127.0.0.1:" + TestRedis.freePort() + ",127.0.0.1:" + cluster.nodes().get(1).port();
    RedisBrokerConfig config = RedisBrokerConfig.builder("redis-cluster://" + seeds).build();
    Task task =
        Task.builder("work")
            .queue("seeded")
            .id("s-1")
            .payload("p")
            .createdAt(Instant.EPOCH)
            .build();

    try (RedisBroker broker = RedisBroker.connect(config)) {
      broker.enqueue(task, Duration.ofSeconds(5));

      assertThat(config.cluster()).isTrue();
      assertThat(broker.stats("seeded").ready()).isEqualTo(1);
    }
    assertThat(cluster.nodes().get(TestRedisCluster.nodeOf("seeded")).admin().dbSize())
        .isPositive();
  }

  @Test
  void manyQueuesOnEveryNode_enqueueAndProcess_noCrossSlotNothingLost() throws Exception {
    cluster.flushAll();
    List<String> queues = queuesOnEveryNode(2);
    int perQueue = 300;
    ListAppender<ILoggingEvent> logs = captureLogs();
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicLong handled = new AtomicLong();
    List<String> trouble = Collections.synchronizedList(new ArrayList<>());
    try (RedisBroker producer = cluster.broker(100_000);
        RedisBroker consumer = cluster.broker(100_000)) {
      WorkerPoolConfig.Builder config =
          WorkerPoolConfig.builder().workers(6).leaseTime(Duration.ofSeconds(8));
      queues.forEach(config::queue);
      WorkerPool pool =
          WorkerPool.builder(consumer)
              .config(config.build())
              .handler("work", task -> handled.incrementAndGet())
              .listener(
                  event -> {
                    if (event instanceof TaskEvent.Succeeded s) {
                      acked.add(s.task().id().value());
                    } else if (event instanceof TaskEvent.Failed
                        || event instanceof TaskEvent.DeadLettered) {
                      trouble.add(event.toString());
                    }
                  })
              .build();
      pool.start();
      try {
        for (String queue : queues) {
          List<Task> batch = new ArrayList<>();
          for (int i = 0; i < perQueue; i++) {
            Task task =
                Task.builder("work")
                    .queue(queue)
                    .id(queue + "-" + i)
                    .payload("p")
                    .createdAt(Instant.EPOCH)
                    .build();
            if (i % 2 == 0) {
              producer.enqueue(task, Duration.ofSeconds(30)); // one script per task
              accepted.add(task.id().value());
            } else {
              batch.add(task); // one script per batch, all keys in the queue's slot
            }
          }
          producer.enqueueAll(batch, Duration.ofSeconds(30));
          batch.forEach(t -> accepted.add(t.id().value()));
        }
        await("every accepted task acked")
            .atMost(Duration.ofMinutes(2))
            .until(() -> acked.containsAll(accepted));
      } finally {
        assertThat(pool.stop(Duration.ofSeconds(30))).isTrue();
      }

      Set<String> lost = new HashSet<>(accepted);
      lost.removeAll(acked);
      new Figures(
              "cluster-multi-queue",
              accepted.size(),
              acked.size(),
              0,
              lost.size(),
              handled.get() - acked.size(),
              null)
          .print();
      assertThat(accepted).hasSize(queues.size() * perQueue);
      assertThat(lost).isEmpty();
      assertThat(trouble).isEmpty();
      assertThat(consumer.queues()).containsAll(queues);
      for (String queue : queues) {
        assertThat(consumer.stats(queue).ready()).isZero();
        assertThat(consumer.stats(queue).inFlight()).isZero();
      }
      assertThat(consumer.deadLetterQueue().size(queues.get(0))).isZero();
      for (TestRedis node : cluster.nodes()) {
        assertThat(node.admin().dbSize())
            .as("keys on node %s", node.port())
            .isPositive(); // the queues spread
      }
    } finally {
      detach(logs);
    }
    assertThat(logs.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(m -> m.contains("CROSSSLOT") || m.contains("same hashslot"));
  }

  /** {@code perNode} queue names whose slots each node of the cluster owns. */
  private static List<String> queuesOnEveryNode(int perNode) {
    int[] count = new int[TestRedisCluster.SLOTS.length];
    List<String> queues = new ArrayList<>();
    for (int i = 0; queues.size() < perNode * count.length; i++) {
      String queue = "q" + i;
      int node = TestRedisCluster.nodeOf(queue);
      if (count[node] < perNode) {
        count[node]++;
        queues.add(queue);
      }
    }
    return queues;
  }

  private static ListAppender<ILoggingEvent> captureLogs() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
    return appender;
  }

  private static void detach(ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(appender);
  }
}
