package dev.dq.adapter.redis;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.task.TaskId;
import dev.dq.testing.BackgroundCall;
import dev.dq.testing.TaskLookupContract;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisBroker} passes the lookup contract, plus the keys it keeps: {@code started}, {@code
 * errors}, {@code records} and {@code finished}, in the documented formats, and none left behind.
 */
final class RedisTaskLookupIT extends TaskLookupContract {
  @RegisterExtension static final TestRedis redis = TestRedis.plain().keepingData();
  private static final String P = "dq:{" + QUEUE + "}:";

  @Override
  protected Broker createBroker(InstantSource clock) {
    redis.flushAll();
    return redis.broker(clock, 1_000);
  }

  @Test
  void keys_startedErrorsRecords_inTheDocumentedFormat() throws Exception {
    enqueue(aTask("t1").priority(7).build());
    Lease lease = take();
    long claimedAt = clock.millis();
    String started = redis.admin().hget(P + "started", "t1");
    assertThat(started).isEqualTo(claimedAt + "|" + TaskInfoCodec.WORKER);

    broker.retryLater(lease, Duration.ZERO, new Failure("E", "boom", 1, clock.instant()));
    assertThat(redis.admin().hexists(P + "started", "t1")).isFalse();
    assertThat(redis.admin().hget(P + "errors", "t1")).contains("\"error_type\":\"E\"");

    clock.advance(Duration.ofSeconds(5));
    Lease second = take();
    long secondAt = clock.millis();
    clock.advance(Duration.ofSeconds(1));
    assertThat(lookup.complete(List.of(done(second, "hi")))).isEmpty();

    JsonNode record = new ObjectMapper().readTree(redis.admin().hget(P + "records", "t1"));
    assertThat(record.get("state").asText()).isEqualTo("succeeded");
    assertThat(record.get("type").asText()).isEqualTo("test");
    assertThat(record.get("attempt").asInt()).isEqualTo(2);
    assertThat(record.get("priority").asInt()).isEqualTo(7);
    assertThat(record.get("created_at_ms").asLong()).isEqualTo(clock.millis() - 6_000);
    assertThat(record.get("started_at_ms").asLong()).isEqualTo(secondAt);
    assertThat(record.get("finished_at_ms").asLong()).isEqualTo(clock.millis());
    assertThat(record.get("worker").asText()).isEqualTo(TaskInfoCodec.WORKER);
    assertThat(record.get("result_b64").asText()).isEqualTo("aGk=");
    assertThat(redis.admin().zscore(P + "finished", "t1")).isEqualTo((double) clock.millis());
    for (String gone : List.of("tasks", "attempts", "started", "errors", "cancelled", "leases")) {
      assertThat(redis.admin().hexists(P + gone, "t1")).as(gone).isFalse();
    }
  }

  @Test
  void record_defaultPriority_noResult_leavesThemOut() throws Exception {
    enqueue(aTask("t1").build());
    broker.ack(take());

    JsonNode record = new ObjectMapper().readTree(redis.admin().hget(P + "records", "t1"));
    assertThat(record.has("priority")).isFalse();
    assertThat(record.has("result_b64")).isFalse();
    assertThat(record.get("attempt").asInt()).isEqualTo(1);
  }

  /**
   * A hand-written task whose headers come first, with a header named "type": the record still
   * names the task's own type and creation time.
   */
  @Test
  void record_handWrittenTask_headersFirst_typeRight() throws Exception {
    redis
        .admin()
        .hset(
            P + "tasks",
            "h1",
            "{\"v\":1,\"headers\":{\"type\":\"not-me\"},\"id\":\"h1\",\"queue\":\"default\","
                + "\"type\":\"mine\",\"payload_b64\":\"\",\"created_at_ms\":42,\"attempt\":1}");
    redis.admin().rpush(P + "ready", "h1");
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();

    broker.ack(lease);

    var info = lookup.find(QUEUE, new TaskId("h1")).orElseThrow();
    assertThat(info.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(info.type()).isEqualTo("mine");
    assertThat(info.createdAt().toEpochMilli()).isEqualTo(42);
  }

  @Test
  void settles_deleteStarted() throws Exception {
    enqueue(aTask("r").build(), aTask("d").build(), aTask("x").build());
    Lease released = take();
    broker.release(released, Duration.ZERO);
    assertThat(redis.admin().hexists(P + "started", "r")).isFalse();
    List<Lease> leases = broker.dequeueBatch(QUEUE, 3, LEASE, Duration.ZERO);
    Lease dead = leases.stream().filter(l -> l.task().id().value().equals("d")).findFirst().get();
    broker.deadLetter(dead, new Failure("E", "m", 1, clock.instant()));
    assertThat(redis.admin().hexists(P + "started", "d")).isFalse();
    clock.advance(LEASE.plusSeconds(1));
    assertThat(broker.reclaimExpiredLeases()).isEqualTo(2);
    assertThat(redis.admin().hlen(P + "started")).isZero();
    broker.ackAll(broker.dequeueBatch(QUEUE, 2, LEASE, Duration.ZERO));
  }

  /**
   * A stalled Redis (SIGSTOP) cannot hold await past its timeout: the caller's thread makes no call
   * to Redis, the poller's look-up stalls instead.
   */
  @Test
  void await_redisStalled_returnsWithinItsTimeout() throws Exception {
    enqueue(aTask("t1").build());
    signal("-STOP");
    try {
      long start = System.nanoTime();
      Optional<TaskInfo> info = lookup.await(QUEUE, new TaskId("t1"), Duration.ofMillis(300));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(info).isEmpty();
      assertThat(took).isLessThan(Duration.ofMillis(1_500)); // socket timeout is 2 s
    } finally {
      signal("-CONT");
    }
  }

  /** Await's answer on a dead task tells its failure and type, without carrying its payload. */
  @Test
  void await_dead_withoutPayload() throws Exception {
    enqueue(aTask("t1").payload("x".repeat(100_000)).build());
    broker.deadLetter(take(), new Failure("E", "m", 1, clock.instant()));

    TaskInfo info = lookup.await(QUEUE, new TaskId("t1"), PATIENCE).orElseThrow();

    assertThat(info.state()).isEqualTo(TaskState.DEAD);
    assertThat(info.type()).isEqualTo("test");
    assertThat(info.lastError().orElseThrow().errorType()).isEqualTo("E");
    assertThat(info.payload()).isEmpty();
    assertThat(lookup.find(QUEUE, new TaskId("t1")).orElseThrow().payload()).isPresent();
  }

  /** A burst of awaits shares the poller's next round instead of waking it once each. */
  @Test
  void await_burst_wakesThePollerOnce() throws Exception {
    TaskWaits waits = ((RedisBroker) broker).taskWaits();
    List<BackgroundCall<Optional<TaskInfo>>> calls = new ArrayList<>();
    long before = waits.wakeups();
    for (int i = 0; i < 20; i++) {
      TaskId id = new TaskId("w" + i);
      calls.add(BackgroundCall.call("await " + id, () -> lookup.await(QUEUE, id, LEASE)));
    }
    enqueue(aTask("w0").build());
    broker.ack(take());
    assertThat(calls.get(0).result(PATIENCE)).isPresent();

    // one wakeup per poll interval at most; 20 awaits started within a few ms
    assertThat(waits.wakeups() - before).isLessThan(10);
    broker.close(); // the others leave
    for (BackgroundCall<Optional<TaskInfo>> c : calls.subList(1, calls.size())) {
      assertThatThrownBy(() -> c.result(PATIENCE))
          .hasRootCauseInstanceOf(BrokerClosedException.class);
    }
  }

  /**
   * A retried task whose data is then found empty is buried unread by the claim: it loses its
   * {@code errors}, {@code started} and {@code cancelled} entries there, and deleting a dead letter
   * that still has them (buried by an older claim) deletes them too.
   */
  @Test
  void buriedUnread_thenDeleted_leavesNoErrorsStartedOrCancelled() throws Exception {
    enqueue(aTask("t1").build());
    broker.retryLater(take(), Duration.ZERO, new Failure("E", "boom", 1, clock.instant()));
    assertThat(redis.admin().hexists(P + "errors", "t1")).isTrue();
    redis.admin().hset(P + "started", "t1", "1|stale");
    redis.admin().hset(P + "cancelled", "t1", "1");
    redis.admin().hset(P + "tasks", "t1", "");

    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();

    assertThat(redis.admin().zscore(P + "dead", "t1")).isNotNull();
    for (String gone : List.of("errors", "started", "cancelled")) {
      assertThat(redis.admin().hexists(P + gone, "t1")).as(gone + " after the bury").isFalse();
    }

    for (String left : List.of("errors", "started", "cancelled")) {
      redis.admin().hset(P + left, "t1", "1"); // as an older claim left them
    }
    assertThat(((RedisBroker) broker).deadLetterQueue().purge(QUEUE)).isEqualTo(1);
    for (String gone : List.of("tasks", "errors", "started", "cancelled", "failures")) {
      assertThat(redis.admin().hexists(P + gone, "t1")).as(gone + " after the delete").isFalse();
    }
  }

  private static void signal(String signal) throws Exception {
    Process kill =
        new ProcessBuilder("kill", signal, Long.toString(redis.pid())).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }
}
