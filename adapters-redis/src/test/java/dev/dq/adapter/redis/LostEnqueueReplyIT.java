package dev.dq.adapter.redis;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.lifecycle.UniqueOutcome;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.Lease;
import dev.dq.core.port.OutcomeUnknownException;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * An enqueue whose reply is lost (the script ran, the connection was cut before the answer came
 * back), through a {@link ReplyCuttingProxy} in front of a real redis-server.
 */
final class LostEnqueueReplyIT {
  private static final String QUEUE = "lost";
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @RegisterExtension static final TestRedis redis = TestRedis.plain();
  ReplyCuttingProxy proxy;
  RedisBroker producer;
  RedisBroker worker;
  final List<String> ran = new CopyOnWriteArrayList<>();

  @BeforeEach
  void connect() throws Exception {
    proxy = ReplyCuttingProxy.to(redis.port());
    producer = RedisBroker.connect(RedisBrokerConfig.builder(proxy.url()).build());
    worker = redis.broker(100_000);
    // Loads the scripts and registers the queue, so the request the proxy cuts is the enqueue
    // itself.
    producer.enqueue(aTask("warm-up").queue(QUEUE).build(), TIMEOUT);
    producer.enqueueAll(List.of(aTask("warm-up-batch").queue(QUEUE).build()), TIMEOUT);
    runAll();
    ran.clear();
  }

  @AfterEach
  void close() {
    producer.close();
    worker.close();
    proxy.close();
  }

  @Test
  void enqueue_replyLostAndTaskAckedBeforeRetry_runsOnceAndReportsSuccess() throws Exception {
    proxy.cutNextReplyTo("t1", this::runAll);

    producer.enqueue(task("t1"), TIMEOUT);

    assertThat(proxy.failures()).isEmpty();
    assertThat(proxy.cuts()).isEqualTo(1);
    runAll();
    assertThat(ran).as("the retry must not write the acked task again").containsExactly("t1");
  }

  /**
   * The key is released by the ack before the retry: without the call's proof the retry would find
   * it free and store the task a second time.
   */
  @Test
  void enqueueUnique_replyLostAndTaskAckedBeforeRetry_storesItOnce() throws Exception {
    proxy.cutNextReplyTo("u1", this::runAll);

    UniqueOutcome outcome =
        producer.enqueueUnique(task("u1"), UniqueKey.untilDone("key-u"), Duration.ZERO, TIMEOUT);

    assertThat(outcome).isEqualTo(new UniqueOutcome(new TaskId("u1"), true));
    assertThat(proxy.cuts()).isEqualTo(1);
    runAll();
    assertThat(ran).as("the retry must not write the acked task again").containsExactly("u1");
  }

  @Test
  void enqueueAll_replyLostAndFirstTaskAckedBeforeRetry_runsEachOnceAndReportsSuccess()
      throws Exception {
    proxy.cutNextReplyTo("b1", this::runOne);

    producer.enqueueAll(List.of(task("b1"), task("b2"), task("b3")), TIMEOUT);

    assertThat(proxy.failures()).isEmpty();
    assertThat(proxy.cuts()).isEqualTo(1);
    runAll();
    assertThat(ran).containsExactly("b1", "b2", "b3");
  }

  @Test
  void enqueueAll_replyLostAndAllAckedBeforeRetry_runsEachOnce() throws Exception {
    proxy.cutNextReplyTo("b1", this::runAll);

    producer.enqueueAll(List.of(task("b1"), task("b2")), TIMEOUT);

    runAll();
    assertThat(ran).containsExactly("b1", "b2");
  }

  @Test
  void enqueue_proofOfTheCall_expiresOnItsOwn() throws Exception {
    String calls = "dq:{" + QUEUE + "}:enqueued";
    java.util.Set<String> earlier = new java.util.HashSet<>(redis.admin().zrange(calls, 0, -1));
    long before = redisMillis();

    producer.enqueue(task("t1"), Duration.ofSeconds(5));

    List<redis.clients.jedis.resps.Tuple> proofs =
        redis.admin().zrangeWithScores(calls, 0, -1).stream()
            .filter(t -> !earlier.contains(t.getElement()))
            .toList();
    assertThat(proofs).as("one proof for the call").hasSize(1);
    assertThat((long) proofs.get(0).getScore())
        .as("expiry, Redis time before the call: %d", before)
        .isBetween(
            before + 5_000,
            before + 5_000 + 15_000 + 5_000); // timeout + margin, + slack for the call
    assertThat(redis.admin().pttl(calls)).as("the set itself expires when idle").isPositive();
    assertThat(redis.admin().hkeys("dq:{" + QUEUE + "}:tasks")).containsExactly("t1");
  }

  @Test
  void enqueue_expiredProofs_areForgottenByTheNextCall() throws Exception {
    String calls = "dq:{" + QUEUE + "}:enqueued";
    redis.admin().zadd(calls, 1, "an-old-call");

    producer.enqueue(task("t1"), Duration.ofSeconds(5));

    assertThat(redis.admin().zscore(calls, "an-old-call")).isNull();
  }

  @Test
  void enqueueAll_everyReplyLost_throwsOutcomeUnknownNamingTheTasksWhichAreQueued()
      throws Exception {
    proxy.cutEveryReplyTo("{" + QUEUE + "}:ready");
    List<Task> batch = List.of(task("u1"), task("u2"));

    assertThatThrownBy(() -> producer.enqueueAll(batch, Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(
            OutcomeUnknownException.class,
            e -> assertThat(e.ids()).containsExactly(new TaskId("u1"), new TaskId("u2")))
        .hasMessageContaining("outcome unknown");
    assertThat(proxy.cuts()).isPositive();
    assertThat(worker.stats(QUEUE).ready()).as("the first try was applied").isEqualTo(2);
  }

  @Test
  void enqueue_everyReplyLost_throwsOutcomeUnknown() {
    proxy.cutEveryReplyTo("{" + QUEUE + "}:ready");

    assertThatThrownBy(() -> producer.enqueue(task("u1"), Duration.ofMillis(500)))
        .isInstanceOfSatisfying(
            OutcomeUnknownException.class,
            e -> assertThat(e.ids()).containsExactly(new TaskId("u1")));
  }

  @Test
  void enqueue_replyLostThenRedisOutOfMemory_throwsOutcomeUnknownNotBrokerFull() throws Exception {
    // The first try is applied, then Redis runs out of memory before the reply arrives: every retry
    // is refused unread
    // (enqueue.lua may not run at maxmemory), which says nothing about the first try. "Nothing was
    // enqueued" would be
    // a lie that invites a duplicate publish.
    proxy.cutNextReplyTo("o1", () -> redis.admin().configSet("maxmemory", "1"));
    try {
      assertThatThrownBy(() -> producer.enqueue(task("o1"), Duration.ofSeconds(1)))
          .isInstanceOfSatisfying(
              OutcomeUnknownException.class,
              e -> assertThat(e.ids()).containsExactly(new TaskId("o1")));
    } finally {
      redis.admin().configSet("maxmemory", "0");
    }
    assertThat(worker.stats(QUEUE).ready()).as("the first try was applied").isEqualTo(1);
  }

  @Test
  void enqueue_redisDownFromTheStart_throwsBrokerUnavailable() throws Exception {
    try (RedisBroker down =
        RedisBroker.connect(
            RedisBrokerConfig.builder("redis://127.0.0.1:" + TestRedis.freePort()).build())) {
      assertThatThrownBy(() -> down.enqueueAll(List.of(task("d1")), Duration.ofMillis(300)))
          .isExactlyInstanceOf(BrokerUnavailableException.class);
    }
  }

  @Test
  void isBeforeSendingAndMayHaveRun_tellARefusedConnectionFromACutReply() throws Exception {
    RuntimeException refused = failureOf(RedisClient.create("127.0.0.1", TestRedis.freePort()));
    proxy.cutNextReplyTo("probe", () -> {});
    RuntimeException cut = failureOf(RedisClient.create("127.0.0.1", proxy.port()));

    assertThat(RedisErrors.isBeforeSending(refused)).as("refused: %s", refused).isTrue();
    assertThat(RedisErrors.isBeforeSending(new BrokerUnavailableException("wrapped", refused)))
        .isTrue();
    assertThat(RedisErrors.isBeforeSending(cut)).as("cut: %s", cut).isFalse();
    assertThat(RedisErrors.mayHaveRun(refused)).isFalse();
    assertThat(RedisErrors.mayHaveRun(new BrokerUnavailableException("wrapped", cut))).isTrue();
    assertThat(
            RedisErrors.mayHaveRun(
                new JedisDataException("OOM command not allowed when used memory > 'maxmemory'.")))
        .as("an error reply is an answer")
        .isFalse();
  }

  private static RuntimeException failureOf(RedisClient client) {
    try (client) {
      client.get("probe");
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the command got a reply");
  }

  private static long redisMillis() {
    return (Long)
        redis
            .admin()
            .eval(
                "local t = redis.call('TIME') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)");
  }

  private Task task(String id) {
    return aTask(id).queue(QUEUE).build();
  }

  /** A worker on Redis directly (not through the proxy): takes and acks one ready task. */
  private void runOne() {
    try {
      Lease lease = worker.dequeue(QUEUE, LEASE, Duration.ofSeconds(5)).orElseThrow();
      ran.add(lease.task().id().value());
      worker.ack(lease);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Takes and acks every ready task. */
  private void runAll() {
    while (worker.stats(QUEUE).ready() > 0) {
      runOne();
    }
  }
}
