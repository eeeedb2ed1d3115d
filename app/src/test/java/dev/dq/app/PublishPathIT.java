package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.adapter.redis.ReplyCuttingProxy;
import dev.dq.app.wiring.ClockModule;
import dev.dq.core.task.Task;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code dq publish} through the jar against real Redis: strict stdin, bounded memory, the queue
 * capacity setting, delays on Redis time, and replies lost on the way back.
 */
final class PublishPathIT extends WithRedis {
  private static final int LARGE = 200_000;
  private static final List<String> SMALL_HEAP = List.of("-Xmx64m");

  /**
   * Item 10: the producer's clock is 300 s ahead, yet the task is due 5 s after the Redis server's
   * TIME.
   */
  @Test
  void publish_delayFromProducerWithSkewedClock_isDueOnRedisTime() throws Exception {
    long before = redisMillis();
    Dq.Result r =
        Dq.runWithInput(
            List.of("-D" + ClockModule.SKEW_PROPERTY + "=300s"),
            env(),
            new byte[0],
            "publish",
            "--type",
            "echo",
            "--delay",
            "5s");
    long after = redisMillis();

    assertThat(r.code()).as("stderr: %s", r.err()).isZero();
    String id = r.out().strip();
    Double due = redis.admin().zscore("dq:{default}:delayed", id);
    assertThat(due).as("task %s is delayed", id).isNotNull();
    assertThat(due.longValue())
        .as("due, against Redis TIME %d..%d", before, after)
        .isBetween(before + 5_000, after + 5_000);
  }

  /**
   * Item 17: every reply to the enqueue is lost while Redis applies it; publish must not say
   * "nothing published".
   */
  @Test
  void publish_everyEnqueueReplyLost_reportsUnknownOutcomeWithTheIds() throws Exception {
    // Loads the batch script into Redis, so that the proxy cuts the enqueue itself rather than a
    // NOSCRIPT answer.
    broker.enqueueAll(
        List.of(Task.builder("echo").queue("warm-up").createdAt(Instant.EPOCH).build()),
        Duration.ofSeconds(5));
    Dq.Result r;
    try (ReplyCuttingProxy proxy = ReplyCuttingProxy.to(redis.port())) {
      proxy.cutEveryReplyTo("{lost}:ready");

      r =
          Dq.run(
              env("DQ_REDIS_URL", proxy.url()),
              "publish",
              "--queue",
              "lost",
              "--type",
              "echo",
              "--count",
              "3",
              "--timeout",
              "1s");

      assertThat(proxy.cuts()).isPositive();
    }

    assertThat(r.code()).as("stderr: %s", r.err()).isEqualTo(1);
    List<String> queued = redis.admin().lrange("dq:{lost}:ready", 0, -1);
    assertThat(queued).as("the first try was applied").hasSize(3);
    List<String> lines = r.err().lines().filter(l -> l.startsWith("dq: ")).toList();
    assertThat(lines.get(0))
        .startsWith("dq: outcome unknown")
        .contains("for 3 tasks", "may or may not have been published", "dq stats --queue lost")
        .doesNotContain("nothing was published");
    assertThat(lines.subList(1, lines.size()))
        .extracting(l -> l.substring("dq:".length()).strip())
        .containsExactlyElementsOf(queued);
    assertThat(r.out()).as("no id is reported published for sure").isEmpty();
  }

  /**
   * Item 6: invalid UTF-8 is rejected with the line's number, not stored with U+FFFD replacements.
   */
  @Test
  void publish_invalidUtf8OnStdin_exits1NamingTheLineAndPublishesNothing() throws Exception {
    ByteArrayOutputStream stdin = new ByteArrayOutputStream();
    stdin.writeBytes("{\"type\":\"echo\",\"payload\":\"fine\"}\n".getBytes(StandardCharsets.UTF_8));
    stdin.writeBytes("{\"type\":\"echo\",\"payload\":\"abc".getBytes(StandardCharsets.UTF_8));
    stdin.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe});
    stdin.writeBytes("\"}\n".getBytes(StandardCharsets.UTF_8));

    Dq.Result r = Dq.runWithInput(List.of(), env(), stdin.toByteArray(), "publish");

    assertThat(r.code()).as("stderr: %s", r.err()).isEqualTo(1);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("dq: stdin line 2: not valid UTF-8")
        .contains("nothing was published");
    assertThat(keysOtherThanTheDataModelMark()).isZero();
  }

  /** Item 6: a header value that is not a string is rejected, naming the line and the header. */
  @Test
  void publish_nonStringHeader_exits1NamingLineAndHeader() throws Exception {
    String stdin =
        "{\"type\":\"echo\",\"headers\":{\"a\":\"x\"}}\n{\"type\":\"echo\",\"headers\":{\"retries\":3}}\n";

    Dq.Result r = Dq.runWithInput(env(), stdin, "publish");

    assertThat(r.code()).as("stderr: %s", r.err()).isEqualTo(1);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("dq: stdin line 2: header \"retries\" must be a string, not a number")
        .contains("nothing was published");
    assertThat(keysOtherThanTheDataModelMark()).isZero();
  }

  /**
   * Item 8: a large stdin goes through a small heap, and DQ_QUEUE_CAPACITY lets the queue hold it
   * all.
   */
  @Test
  void publish_largeStdinWithSmallHeap_publishesEveryTask() throws Exception {
    Dq.Result r =
        Dq.runWithInput(
            SMALL_HEAP, env("DQ_QUEUE_CAPACITY", "300000"), lines(LARGE, -1), "publish", "--quiet");

    assertThat(r.code()).as("stderr: %s", r.err()).isZero();
    assertThat(r.out().strip()).isEqualTo("published " + LARGE);
    assertThat(broker.stats("default").ready()).isEqualTo(LARGE);
  }

  /**
   * Item 8: streaming keeps the guarantee that a bad task, even near the end, publishes nothing.
   */
  @Test
  void publish_badLineNearTheEndOfALargeStdin_publishesNothing() throws Exception {
    Dq.Result r =
        Dq.runWithInput(
            SMALL_HEAP,
            env("DQ_QUEUE_CAPACITY", "300000"),
            lines(LARGE, LARGE - 10),
            "publish",
            "--quiet");

    assertThat(r.code()).as("stderr: %s", r.err()).isEqualTo(1);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("dq: stdin line " + (LARGE - 10) + ": task type must be")
        .contains("nothing was published");
    assertThat(keysOtherThanTheDataModelMark()).isZero();
  }

  /** Item 8: the capacity flag reaches the Redis broker: the third task finds the queue full. */
  @Test
  void queueCapacityFlag_limitsTheQueue() throws Exception {
    Dq.Result r =
        Dq.run(
            env(),
            "--queue-capacity",
            "2",
            "publish",
            "--type",
            "echo",
            "--count",
            "3",
            "--timeout",
            "0ms");

    assertThat(r.code()).as("stderr: %s", r.err()).isEqualTo(1);
    assertThat(r.err()).contains("dq: queue default still full after 0ms", "published 2 of 3");
    assertThat(broker.stats("default").ready()).isEqualTo(2);
  }

  @Test
  void queueCapacityVariable_badValue_exits2NamingIt() throws Exception {
    Dq.Result r = Dq.run(env("DQ_QUEUE_CAPACITY", "lots"), "publish", "--type", "echo");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("dq: DQ_QUEUE_CAPACITY must be")
        .contains("lots");
    assertThat(keysOtherThanTheDataModelMark()).isZero();
  }

  /**
   * {@code n} JSON lines of echo tasks with 100-byte payloads (all of them held at once need well
   * over 64 MB of heap); line {@code bad} (from 1; -1 for none) has an invalid type.
   */
  private static byte[] lines(int n, int bad) {
    String padding = "x".repeat(100);
    StringBuilder sb = new StringBuilder(n * 150);
    for (int i = 1; i <= n; i++) {
      sb.append("{\"type\":\"")
          .append(i == bad ? "no spaces allowed" : "echo")
          .append("\",\"payload\":\"task ")
          .append(i)
          .append(' ')
          .append(padding)
          .append("\"}\n");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static long redisMillis() {
    return (Long)
        redis
            .admin()
            .eval(
                "local t = redis.call('TIME') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)");
  }
}
