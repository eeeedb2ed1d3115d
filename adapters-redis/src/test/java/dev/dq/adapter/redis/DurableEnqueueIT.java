package dev.dq.adapter.redis;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.port.DuplicateTaskException;
import dev.dq.core.port.Lease;
import dev.dq.core.port.OutcomeUnknownException;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Durable enqueue ({@link RedisBrokerConfig.Builder#durableReplicas}) against real servers: a
 * primary without replica cannot confirm, a primary with one can, and WAITAOF is refused on Redis
 * older than 7.2 before anything is written.
 */
final class DurableEnqueueIT {
  private static final String QUEUE = "durable";
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final Duration LEASE = Duration.ofSeconds(30);

  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  @Test
  void enqueue_tooFewReplicas_outcomeUnknownAndRetryWithSameIdNeitherDuplicatesNorLoses()
      throws Exception {
    try (RedisBroker broker = durable(redis.url(), 1)) {
      Task task = aTask("t1").queue(QUEUE).build();

      assertThatThrownBy(() -> broker.enqueue(task, TIMEOUT))
          .isInstanceOf(OutcomeUnknownException.class)
          .hasMessageContaining("0 of 1 replicas")
          .satisfies(
              e -> assertThat(((OutcomeUnknownException) e).ids()).containsExactly(id(task)));
      assertThatThrownBy(() -> broker.enqueue(task, TIMEOUT))
          .as("a retry with the same id finds the task on the primary")
          .isInstanceOf(DuplicateTaskException.class);

      assertThat(drain(broker)).containsExactly("t1");
    }
  }

  @Test
  void enqueueAll_tooFewReplicas_outcomeUnknownNamingEveryTask() throws Exception {
    try (RedisBroker broker = durable(redis.url(), 1)) {
      List<Task> batch =
          List.of(aTask("b1").queue(QUEUE).build(), aTask("b2").queue(QUEUE).build());

      assertThatThrownBy(() -> broker.enqueueAll(batch, TIMEOUT))
          .isInstanceOf(OutcomeUnknownException.class)
          .satisfies(
              e ->
                  assertThat(((OutcomeUnknownException) e).ids())
                      .containsExactly(new TaskId("b1"), new TaskId("b2")));
      assertThatThrownBy(() -> broker.enqueueAll(batch, TIMEOUT))
          .isInstanceOf(DuplicateTaskException.class);

      assertThat(drain(broker)).containsExactly("b1", "b2");
    }
  }

  @Test
  void enqueue_replicaConfirms_succeedsAndTheReplicaHoldsTheTask() throws Exception {
    try (TestRedis replica =
            TestRedis.start(
                List.of("--appendonly", "no", "--replicaof", "127.0.0.1", "" + redis.port()));
        RedisBroker broker = durable(redis.url(), 1)) {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> redis.admin().info("replication").contains("state=online"));

      broker.enqueue(aTask("r1").queue(QUEUE).build(), TIMEOUT);
      broker.enqueueAll(List.of(aTask("r2").queue(QUEUE).build()), TIMEOUT);

      // WAIT 1 returned 1: the replica has applied both writes, with no wait of our own.
      assertThat(replica.admin().hexists(RedisKeys.of(QUEUE).tasks(), "r1")).isTrue();
      assertThat(replica.admin().hexists(RedisKeys.of(QUEUE).tasks(), "r2")).isTrue();
      assertThat(drain(broker)).containsExactly("r1", "r2");
    }
  }

  @Test
  void enqueue_fsyncOnRedis70_failsNamingVersionAndSettingBeforeWriting() throws Exception {
    try (RedisBroker broker = RedisBroker.connect(redis.config().durableFsync(true).build())) {
      Task task = aTask("f1").queue(QUEUE).build();

      assertThatThrownBy(() -> broker.enqueue(task, TIMEOUT))
          .isInstanceOf(RedisUnsupportedException.class)
          .hasMessageContaining("WAITAOF")
          .hasMessageContaining("durableFsync")
          .hasMessageContaining("version 7.0");
      assertThatThrownBy(() -> broker.enqueueAll(List.of(task), TIMEOUT))
          .isInstanceOf(RedisUnsupportedException.class);
      assertThat(redis.admin().hexists(RedisKeys.of(QUEUE).tasks(), "f1")).isFalse();
    }
  }

  private static RedisBroker durable(String url, int replicas) {
    return RedisBroker.connect(
        RedisBrokerConfig.builder(url)
            .blockTimeout(Duration.ofMillis(100))
            .durableReplicas(replicas, Duration.ofMillis(200))
            .build());
  }

  private static TaskId id(Task task) {
    return task.id();
  }

  private static List<String> drain(RedisBroker broker) throws InterruptedException {
    List<String> ids = new ArrayList<>();
    while (true) {
      Optional<Lease> lease = broker.dequeue(QUEUE, LEASE, Duration.ofMillis(100));
      if (lease.isEmpty()) {
        return ids;
      }
      ids.add(lease.get().task().id().value());
      broker.ack(lease.get());
    }
  }
}
