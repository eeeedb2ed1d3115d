package dev.dq.adapter.redis;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.Lease;
import dev.dq.core.port.TaskCancelledException;
import dev.dq.core.task.TaskId;
import dev.dq.testing.TaskCancelsContract;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisBroker} passes the cancel contract; plus the record and keys it leaves, read
 * directly.
 */
final class RedisTaskCancelsIT extends TaskCancelsContract {
  @RegisterExtension static final TestRedis redis = TestRedis.plain().keepingData();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String K = "dq:{" + QUEUE + "}:";

  @Override
  protected Broker createBroker(InstantSource clock) {
    redis.flushAll();
    return redis.broker(clock, 1_000);
  }

  @Override
  protected DeadLetterQueue deadLetterQueue() {
    return ((RedisBroker) broker).deadLetterQueue();
  }

  /**
   * An entry the claim cannot decode is dead-lettered by the claimer; a cancel mark left on it goes
   * too, so a requeue of it is not ended as cancelled.
   */
  @Test
  void undecodableEntry_buriedByTheClaimer_markGone() throws Exception {
    redis
        .admin()
        .hset(
            (K + "tasks").getBytes(StandardCharsets.UTF_8),
            "bad".getBytes(StandardCharsets.UTF_8),
            "{\"v\":1,\"id\":\"bad\",".getBytes(StandardCharsets.UTF_8));
    redis.admin().rpush(RedisKeys.of(QUEUE).ready(), "bad");
    redis.admin().hset(K + "cancelled", "bad", Long.toString(clock.millis()));

    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();

    assertThat(((RedisBroker) broker).deadLetterQueue().size(QUEUE)).isEqualTo(1);
    assertThat(redis.admin().hexists(K + "cancelled", "bad")).isFalse();
  }

  /** A settle-cancelled refused for its lease counts as a lost lease, like any other settle. */
  @Test
  void settleCancelled_staleLease_countedAsLeaseLost() throws Exception {
    broker.enqueue(aTask("t1").build(), Duration.ZERO);
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    cancels.cancel(QUEUE, new TaskId("t1"));
    clock.advance(LEASE.plusSeconds(1));
    broker.reclaimExpiredLeases(); // ends it as cancelled: the lease is stale now

    assertThatThrownBy(() -> cancels.settleCancelled(lease))
        .isInstanceOf(dev.dq.core.port.LeaseLostException.class);

    assertThat(((RedisBroker) broker).leaseLostCount()).isEqualTo(1);
  }

  @Test
  void cancel_waiting_recordedWithoutStart_keysGone() throws Exception {
    broker.enqueue(aTask("t1").priority(7).build(), Duration.ZERO);
    long created = aTask("t1").build().createdAt().toEpochMilli();
    clock.advance(Duration.ofSeconds(3));

    assertThat(cancels.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.CANCELLED);

    JsonNode rec = JSON.readTree(redis.admin().hget(K + "records", "t1"));
    assertThat(rec.get("state").asText()).isEqualTo("cancelled");
    assertThat(rec.get("type").asText()).isEqualTo(aTask("t1").build().type());
    assertThat(rec.get("attempt").asInt()).isZero();
    assertThat(rec.get("priority").asInt()).isEqualTo(7);
    assertThat(rec.get("created_at_ms").asLong()).isEqualTo(created);
    assertThat(rec.get("finished_at_ms").asLong()).isEqualTo(clock.millis());
    assertThat(rec.has("started_at_ms")).isFalse();
    assertThat(redis.admin().zscore(K + "finished", "t1")).isEqualTo((double) clock.millis());
    assertThat(redis.admin().hexists(K + "tasks", "t1")).isFalse();
    assertThat(redis.admin().hexists(K + "priorities", "t1")).isFalse();
    assertThat(redis.admin().llen(K + "ready:7")).isZero();
  }

  @Test
  void cancel_running_markedThenSettled_recordedWithStartFromStarted() throws Exception {
    broker.enqueue(aTask("t1").build(), Duration.ZERO);
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    // `started` is written by the claim once task lookup lands; its format is fixed already
    redis.admin().hset(K + "started", "t1", clock.millis() + "|host:42");
    clock.advance(Duration.ofSeconds(2));

    assertThat(cancels.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.REQUESTED);
    assertThat(redis.admin().hget(K + "cancelled", "t1")).isEqualTo(Long.toString(clock.millis()));

    cancels.settleCancelled(lease);

    JsonNode rec = JSON.readTree(redis.admin().hget(K + "records", "t1"));
    assertThat(rec.get("state").asText()).isEqualTo("cancelled");
    assertThat(rec.get("attempt").asInt()).isEqualTo(1);
    assertThat(rec.get("started_at_ms").asLong()).isEqualTo(clock.millis() - 2_000);
    assertThat(rec.get("worker").asText()).isEqualTo("host:42");
    assertThat(rec.has("priority")).isFalse();
    for (String key : List.of("tasks", "cancelled", "started", "leases", "attempts")) {
      assertThat(redis.admin().hexists(K + key, "t1")).as(key).isFalse();
    }
    assertThat(redis.admin().zscore(K + "active", "t1")).isNull();
  }

  @Test
  void retryOfMarkedTask_recordsTheAttemptThatRan() throws Exception {
    broker.enqueue(aTask("t1").build(), Duration.ZERO);
    broker.retryLater(broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow(), Duration.ZERO);
    Lease second = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    cancels.cancel(QUEUE, new TaskId("t1"));

    assertThatThrownBy(() -> broker.retryLater(second, Duration.ZERO))
        .isInstanceOf(TaskCancelledException.class);

    JsonNode rec = JSON.readTree(redis.admin().hget(K + "records", "t1"));
    assertThat(rec.get("attempt").asInt()).isEqualTo(2);
    assertThat(redis.admin().hexists(K + "attempts", "t1")).isFalse();
  }

  /** A queue that never cancels has no `cancelled` key: the claim and settles pay nothing. */
  @Test
  void queueThatNeverCancels_hasNoCancelKeys() throws Exception {
    broker.enqueue(aTask("t1").build(), Duration.ZERO);
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    broker.retryLater(lease, Duration.ZERO);
    broker.ack(broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow());

    assertThat(redis.admin().exists(K + "cancelled")).isFalse();
    // every ack leaves a record (task lookup): a succeeded one, nothing of a cancel
    assertThat(redis.admin().hget(K + "records", "t1")).contains("\"state\":\"succeeded\"");
  }
}
