package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.port.Lease;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.RedisClient;

/**
 * Follows docs/redis-data-model.md "Enqueue by hand" with raw Redis commands, as a producer in
 * another language would, and checks that the broker delivers what was written.
 */
final class HandWrittenTaskIT {
  static final String DATA =
      "{\"v\":1,\"id\":\"hand-1\",\"queue\":\"default\",\"type\":\"email\","
          + "\"payload_b64\":\"aGVsbG8=\",\"headers\":{\"trace\":\"abc\"},\"created_at_ms\":1767225600000,\"attempt\":1}";
  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  @Test
  void plainCommandsInMulti_taskIsDeliveredAndAcked() throws Exception {
    RedisClient raw = redis.admin();
    assertThat(raw.hexists("dq:{default}:tasks", "hand-1")).isFalse();
    raw.sadd("dq:queues", "default");
    try (AbstractTransaction tx = raw.multi()) {
      tx.hset("dq:{default}:tasks", "hand-1", DATA);
      tx.rpush("dq:{default}:ready", "hand-1");
      tx.rpush("dq:{default}:notify", "1");
      tx.exec();
    }

    try (RedisBroker broker = redis.broker(100)) {
      Lease lease =
          broker.dequeue("default", Duration.ofSeconds(30), Duration.ofSeconds(5)).orElseThrow();

      assertThat(lease.task().id().value()).isEqualTo("hand-1");
      assertThat(lease.task().type()).isEqualTo("email");
      assertThat(lease.task().payload().asUtf8()).isEqualTo("hello");
      assertThat(lease.task().headers()).containsEntry("trace", "abc");
      assertThat(lease.task().createdAt()).isEqualTo(Instant.ofEpochMilli(1767225600000L));
      broker.ack(lease);
      assertThat(raw.hexists("dq:{default}:tasks", "hand-1")).isFalse();
    }
  }

  @Test
  void enqueueScriptWithDocumentedArgs_taskIsDelivered() throws Exception {
    RedisClient raw = redis.admin();
    raw.sadd("dq:queues", "default");
    Object reply =
        raw.eval(
            script("enqueue"),
            List.of(
                "dq:{default}:ready",
                "dq:{default}:delayed",
                "dq:{default}:notify",
                "dq:{default}:tasks"),
            List.of("hand-1", DATA, "", "100000", "", ""));
    assertThat(reply).isEqualTo("OK");

    try (RedisBroker broker = redis.broker(100)) {
      Lease lease =
          broker.dequeue("default", Duration.ofSeconds(30), Duration.ofSeconds(5)).orElseThrow();

      assertThat(lease.task().id().value()).isEqualTo("hand-1");
      assertThat(lease.task().attempt()).isEqualTo(1);
    }
  }

  @Test
  void priorityByHand_plainCommandsAndEnqueueScript_takenBeforeDefaultTasks() throws Exception {
    RedisClient raw = redis.admin();
    raw.sadd("dq:queues", "default");
    raw.hset("dq:{default}:tasks", "hand-0", DATA.replace("hand-1", "hand-0"));
    raw.rpush("dq:{default}:ready", "hand-0");
    String urgent =
        DATA.replace("hand-1", "hand-8").replace("\"attempt\":1}", "\"attempt\":1,\"priority\":8}");
    try (AbstractTransaction tx = raw.multi()) {
      tx.hset("dq:{default}:tasks", "hand-8", urgent);
      tx.hset("dq:{default}:priorities", "hand-8", "8");
      tx.rpush("dq:{default}:ready:8", "hand-8");
      tx.zadd("dq:{default}:levels", 8, "8");
      tx.rpush("dq:{default}:notify", "1");
      tx.exec();
    }
    List<String> keys =
        new java.util.ArrayList<>(
            List.of(
                "dq:{default}:ready",
                "dq:{default}:delayed",
                "dq:{default}:notify",
                "dq:{default}:tasks",
                "dq:{default}:enqueued",
                "dq:{default}:levels",
                "dq:{default}:priorities"));
    for (int p = 0; p <= 9; p++) {
      keys.add(p == 5 ? "dq:{default}:ready" : "dq:{default}:ready:" + p);
    }
    String top =
        DATA.replace("hand-1", "hand-9").replace("\"attempt\":1}", "\"attempt\":1,\"priority\":9}");
    Object reply =
        raw.eval(
            script("enqueue"), keys, List.of("hand-9", top, "", "100000", "", "", "", "", "9"));
    assertThat(reply).isEqualTo("OK");

    try (RedisBroker broker = redis.broker(100)) {
      List<Lease> taken = new java.util.ArrayList<>();
      for (int i = 0; i < 3; i++) {
        taken.add(
            broker.dequeue("default", Duration.ofSeconds(30), Duration.ofSeconds(5)).orElseThrow());
      }

      assertThat(taken)
          .extracting(l -> l.task().id().value() + "@" + l.task().priority())
          .containsExactly("hand-9@9", "hand-8@8", "hand-0@5");
      broker.ackAll(taken);
      assertThat(raw.exists("dq:{default}:priorities")).isFalse();
    }
  }

  @Test
  void delayedByHand_isDeliveredWhenDue() throws Exception {
    RedisClient raw = redis.admin();
    try (AbstractTransaction tx = raw.multi()) {
      tx.hset("dq:{default}:tasks", "hand-1", DATA);
      tx.zadd("dq:{default}:delayed", System.currentTimeMillis() + 300, "hand-1");
      tx.exec();
    }

    try (RedisBroker broker = redis.broker(100)) {
      assertThat(broker.dequeue("default", Duration.ofSeconds(30), Duration.ofSeconds(30)))
          .isPresent();
    }
  }

  private static String script(String name) throws IOException {
    try (InputStream in =
        HandWrittenTaskIT.class.getResourceAsStream("/dev/dq/redis/" + name + ".lua")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
