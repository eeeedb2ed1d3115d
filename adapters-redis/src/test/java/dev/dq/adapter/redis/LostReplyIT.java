package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.DeleteOutcome;
import dev.dq.core.lifecycle.RunNowOutcome;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * Writes whose reply is lost after Redis applied them: the broker talks to Redis through a {@link
 * ReplyLosingProxy}, and the test reads Redis directly to see what really happened.
 */
final class LostReplyIT {
  private static final String QUEUE = "default";
  private static final RedisKeys KEYS = RedisKeys.of(QUEUE);
  private static final Duration LEASE = Duration.ofMinutes(1);

  @RegisterExtension static final TestRedis redis = TestRedis.plain();
  private ReplyLosingProxy proxy;
  private RedisBroker broker;

  @BeforeEach
  void connectThroughProxy() {
    proxy = ReplyLosingProxy.to(redis);
    broker =
        RedisBroker.connect(
            RedisBrokerConfig.builder(proxy.url()).blockTimeout(Duration.ofMillis(500)).build());
  }

  @AfterEach
  void close() {
    broker.close();
    proxy.close();
  }

  private static Task task(String id) {
    return Task.builder("work").id(id).payload("p").createdAt(Instant.EPOCH).build();
  }

  private void enqueue(String... ids) throws InterruptedException {
    for (String id : ids) {
      broker.enqueue(task(id), Duration.ZERO);
    }
  }

  private static List<String> ids(List<Lease> leases) {
    return leases.stream().map(l -> l.task().id().value()).toList();
  }

  /**
   * Runs a task through claim, load and ack once, so that every script is cached and called by its
   * SHA1.
   */
  private void warmUp() throws InterruptedException {
    broker.enqueue(task("warm-up").toBuilder().queue("warm-up").build(), Duration.ZERO);
    assertThat(broker.ackAll(broker.dequeueBatch("warm-up", 1, LEASE, Duration.ZERO))).isEmpty();
    broker.enqueue(task("warm-up").toBuilder().queue("warm-up").build(), Duration.ZERO);
    broker.ack(broker.dequeue("warm-up", LEASE, Duration.ZERO).orElseThrow());
  }

  @Test
  void dequeueBatch_claimReplyLost_retryDeliversTheClaimedTasksAtOnce() throws Exception {
    warmUp();
    enqueue("t1", "t2", "t3");
    proxy.loseNextReplyTo(Script.CLAIM.sha1());

    List<Lease> batch = broker.dequeueBatch(QUEUE, 2, LEASE, Duration.ZERO);

    assertThat(proxy.lostReplies()).isEqualTo(1);
    assertThat(ids(batch)).containsExactly("t1", "t2");
    RedisClient admin = redis.admin();
    assertThat(admin.zrange(KEYS.active(), 0, -1))
        .as("no id stranded in active")
        .containsExactly("t1", "t2");
    assertThat(admin.lrange(KEYS.ready(), 0, -1)).containsExactly("t3");
    assertThat(broker.ackAll(batch)).isEmpty();
    assertThat(ids(broker.dequeueBatch(QUEUE, 2, LEASE, Duration.ZERO))).containsExactly("t3");
  }

  @Test
  void ackAll_replyLostAndImmediateRetryFailed_aLaterCallAnswersAcked() throws Exception {
    warmUp();
    enqueue("t1", "t2", "t3");
    List<Lease> batch = broker.dequeueBatch(QUEUE, 2, LEASE, Duration.ZERO);
    Lease third = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    proxy.loseNextReplyToThenGoDown(Script.ACK_BATCH.sha1());

    assertThatThrownBy(() -> broker.ackAll(batch))
        .isInstanceOf(BrokerUnavailableException.class)
        .hasMessageContaining("t1")
        .hasMessageContaining("t2");
    assertThat(redis.admin().zrange(KEYS.active(), 0, -1))
        .as("the lost call did ack")
        .containsExactly("t3");

    proxy.up();
    assertThat(broker.ackAll(batch)).as("the same leases again").isEmpty();
    List<Lease> more = new ArrayList<>(batch);
    more.add(third);
    assertThat(broker.ackAll(more))
        .as("with one more, as a worker retrying with later successes does")
        .isEmpty();
    assertThat(broker.leaseLostCount()).isZero();
    assertThat(broker.stats(QUEUE).inFlight()).isZero();
  }

  /**
   * The cancel whose reply was lost ended the task; its retry finds it ended as cancelled, which is
   * what the caller asked: CANCELLED, not ALREADY_ENDED.
   */
  @Test
  void cancel_replyLost_retryAnswersCancelled() throws Exception {
    assertThat(broker.cancel(QUEUE, new TaskId("unknown"))) // caches the script: called by SHA1
        .isEqualTo(CancelOutcome.NOT_FOUND);
    enqueue("t1");
    proxy.loseNextReplyTo(Script.CANCEL.sha1());

    assertThat(broker.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.CANCELLED);

    assertThat(proxy.lostReplies()).isEqualTo(1);
    assertThat(broker.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.ALREADY_ENDED);
  }

  /** The run-now whose reply was lost made the task ready; its retry says what was asked. */
  @Test
  void runNow_replyLost_retryAnswersMadeReady() throws Exception {
    assertThat(broker.runNow(QUEUE, new TaskId("unknown"))).isEqualTo(RunNowOutcome.NOT_FOUND);
    broker.enqueueIn(task("t1"), Duration.ofHours(1), Duration.ZERO);
    proxy.loseNextReplyTo(Script.RUN_NOW.sha1());

    assertThat(broker.runNow(QUEUE, new TaskId("t1"))).isEqualTo(RunNowOutcome.MADE_READY);

    assertThat(proxy.lostReplies()).isEqualTo(1);
    assertThat(ids(broker.dequeueBatch(QUEUE, 2, LEASE, Duration.ZERO))).containsExactly("t1");
  }

  /** The delete whose reply was lost removed the task; its retry answers DELETED, not NOT_FOUND. */
  @Test
  void delete_replyLost_retryAnswersDeleted() throws Exception {
    assertThat(broker.delete(QUEUE, new TaskId("unknown"))).isEqualTo(DeleteOutcome.NOT_FOUND);
    enqueue("t1");
    proxy.loseNextReplyTo(Script.DELETE.sha1());

    assertThat(broker.delete(QUEUE, new TaskId("t1"))).isEqualTo(DeleteOutcome.DELETED);

    assertThat(proxy.lostReplies()).isEqualTo(1);
    assertThat(redis.admin().hexists(KEYS.tasks(), "t1")).isFalse();
    assertThat(broker.delete(QUEUE, new TaskId("t1"))).isEqualTo(DeleteOutcome.NOT_FOUND);
  }

  /**
   * The run-now whose reply was lost found the task ready already; its retry answers that, not
   * MADE_READY.
   */
  @Test
  void runNow_ofReadyTask_replyLost_retryAnswersAlreadyReady() throws Exception {
    assertThat(broker.runNow(QUEUE, new TaskId("unknown"))).isEqualTo(RunNowOutcome.NOT_FOUND);
    enqueue("t1");
    proxy.loseNextReplyTo(Script.RUN_NOW.sha1());

    assertThat(broker.runNow(QUEUE, new TaskId("t1"))).isEqualTo(RunNowOutcome.ALREADY_READY);

    assertThat(proxy.lostReplies()).isEqualTo(1);
  }

  /**
   * The delete whose reply was lost deleted a finished task's record; its retry answers
   * RECORD_DELETED, not DELETED.
   */
  @Test
  void delete_ofRecord_replyLost_retryAnswersRecordDeleted() throws Exception {
    assertThat(broker.delete(QUEUE, new TaskId("unknown"))).isEqualTo(DeleteOutcome.NOT_FOUND);
    enqueue("t1");
    broker.ack(broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow());
    proxy.loseNextReplyTo(Script.DELETE.sha1());

    assertThat(broker.delete(QUEUE, new TaskId("t1"))).isEqualTo(DeleteOutcome.RECORD_DELETED);

    assertThat(proxy.lostReplies()).isEqualTo(1);
    assertThat(redis.admin().hexists(KEYS.records(), "t1")).isFalse();
  }

  /** A delete of an unknown task whose reply was lost answers NOT_FOUND on its retry. */
  @Test
  void delete_ofUnknown_replyLost_retryAnswersNotFound() throws Exception {
    assertThat(broker.delete(QUEUE, new TaskId("unknown"))).isEqualTo(DeleteOutcome.NOT_FOUND);
    proxy.loseNextReplyTo(Script.DELETE.sha1());

    assertThat(broker.delete(QUEUE, new TaskId("t1"))).isEqualTo(DeleteOutcome.NOT_FOUND);

    assertThat(proxy.lostReplies()).isEqualTo(1);
  }

  @Test
  void ack_replyLost_retryAnswersAcked() throws Exception {
    warmUp();
    enqueue("t1");
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    proxy.loseNextReplyTo(Script.ACK.sha1());

    broker.ack(lease);

    assertThat(proxy.lostReplies()).isEqualTo(1);
    assertThat(broker.leaseLostCount()).isZero();
    assertThat(broker.stats(QUEUE).inFlight()).isZero();
  }

  @Test
  void ackMemory_expiresAsAWholeOnceItsLongestEntryIsDue() throws Exception {
    enqueue("t1", "t2");
    broker.ack(broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow());
    long afterAck = redis.admin().pttl(KEYS.acked());
    assertThat(broker.ackAll(broker.dequeueBatch(QUEUE, 1, LEASE, Duration.ZERO))).isEmpty();
    long afterAckAll = redis.admin().pttl(KEYS.acked());

    // An idle queue must not keep its last window of remembered acks forever: the set expires with
    // its last entry,
    // three lease times here (each lease had about a minute left).
    long threeLeases = 3 * LEASE.toMillis();
    assertThat(afterAck).as("after ack").isBetween(threeLeases - 10_000, threeLeases);
    assertThat(afterAckAll).as("after ackAll").isBetween(threeLeases - 10_000, threeLeases);
  }
}
