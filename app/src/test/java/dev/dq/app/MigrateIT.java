package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * {@code dq migrate} from the jar: 20,000 tasks written by hand in data model v1 (as
 * docs/redis-data-model.md v1 describes them), a first run killed with kill -9 half-way, a second
 * run to the end; every task is then in v2 with its data, attempt and failure.
 */
final class MigrateIT extends WithRedis {
  private static final String Q = "old";
  private static final String P = "dq:{old}:";
  private static final int TASKS = 20_000;

  static String data(int i) {
    return "{\"v\":1,\"id\":\"t-"
        + i
        + "\",\"queue\":\"old\",\"type\":\"echo\",\"payload_b64\":\"aGVsbG8=\",\"headers\":{},"
        + "\"created_at_ms\":1767225600000,\"attempt\":1}";
  }

  static String failure(int i) {
    return "{\"error_type\":\"java.lang.IllegalStateException\",\"message\":\"boom "
        + i
        + "\",\"attempts\":3,\"failed_at_ms\":1767225600000}";
  }

  /**
   * Of every ten tasks: eight ready (attempt 1 or 2), one retried (delayed, attempt 3), one dead.
   */
  static void writeV1(RedisClient raw) {
    raw.sadd("dq:queues", Q);
    try (AbstractPipeline p = raw.pipelined()) {
      for (int i = 0; i < TASKS; i++) {
        String id = "t-" + i;
        Map<String, String> hash = new HashMap<>(Map.of("data", data(i)));
        switch (i % 10) {
          case 8 -> {
            hash.put("attempt", "3");
            p.zadd(P + "delayed", 1000.0 + i, id); // due long ago
          }
          case 9 -> {
            hash.put("attempt", "3");
            hash.put("failure", failure(i));
            p.zadd(P + "dead", i, id);
          }
          default -> {
            hash.put("attempt", Integer.toString(1 + i % 2));
            p.rpush(P + "ready", id);
          }
        }
        p.hset(P + "task:" + id, hash);
      }
      p.set(P + "dead-seq", Integer.toString(TASKS));
      // A Redis that only dq 0.x used has no mark (the broker of WithRedis marked it when empty).
      p.del("dq:data-model");
      p.sync();
    }
  }

  static long v1Keys(RedisClient raw) {
    Set<String> keys = new HashSet<>();
    ScanParams params = new ScanParams().match(P + "task:*").count(1000);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = raw.scan(cursor, params);
      keys.addAll(page.getResult());
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return keys.size();
  }

  @Test
  void migrate_killedHalfWay_thenRunAgain_movesEveryTaskExactlyOnce() throws Exception {
    RedisClient raw = redis.admin();
    writeV1(raw);

    Dq.Result refused = Dq.run(env(), "stats");
    assertThat(refused.code()).as("stderr: %s", refused.err()).isEqualTo(1);
    assertThat(refused.err().lines())
        .singleElement()
        .asString()
        .isEqualTo(
            "dq: Redis at 127.0.0.1:"
                + redis.port()
                + " holds queue 'old' in dq's data model v1 ("
                + TASKS
                + " tasks); stop every older dq process, then run: dq migrate --redis-url"
                + " redis://127.0.0.1:"
                + redis.port()
                + "/0");

    // One key per call, so that the run is still going when it is killed.
    try (Dq.Running first = Dq.Running.start(env(), "migrate", "--batch", "1")) {
      await()
          .atMost(Dq.PATIENCE)
          .pollInterval(Duration.ofMillis(5))
          .until(() -> raw.hlen(P + "tasks") > 0 || !first.alive());
      first.close(); // kill -9
      first.awaitExit();
    }
    long movedBeforeKill = raw.hlen(P + "tasks");
    long left = v1Keys(raw);
    System.out.printf(
        "MIGRATE killed after %d of %d tasks, %d v1 keys left%n", movedBeforeKill, TASKS, left);
    assertThat(movedBeforeKill).as("moved before the kill").isPositive();
    assertThat(left).as("v1 keys left by the kill").isPositive();
    assertThat(movedBeforeKill + left).isEqualTo(TASKS);
    assertThat(raw.get("dq:data-model")).as("marked as unfinished").isEqualTo("1");

    Dq.Result dry = Dq.run(env(), "migrate", "--dry-run");
    assertThat(dry.code()).as("stderr: %s", dry.err()).isZero();
    assertThat(dry.out()).contains("queue old: " + left + " tasks to move, 0 conflicts");
    assertThat(v1Keys(raw)).isEqualTo(left);

    Dq.Result second = Dq.run(env(), "migrate");

    assertThat(second.code()).as("stderr: %s", second.err()).isZero();
    assertThat(second.out().lines())
        .containsExactly("queue old: " + left + " tasks moved, 0 conflicts", "data model is v2");
    assertThat(v1Keys(raw)).isZero();
    Map<String, String> tasks = raw.hgetAll(P + "tasks");
    Map<String, String> attempts = raw.hgetAll(P + "attempts");
    Map<String, String> failures = raw.hgetAll(P + "failures");
    assertThat(tasks).hasSize(TASKS);
    assertThat(attempts).hasSize(TASKS);
    assertThat(failures).hasSize(TASKS / 10);
    for (int i = 0; i < TASKS; i++) {
      String id = "t-" + i;
      assertThat(tasks.get(id)).as(id).isEqualTo(data(i));
      assertThat(attempts.get(id))
          .as(id)
          .isEqualTo(i % 10 >= 8 ? "3" : Integer.toString(1 + i % 2));
      assertThat(failures.get(id)).as(id).isEqualTo(i % 10 == 9 ? failure(i) : null);
    }
    assertThat(raw.exists(P + "dumps")).isFalse();
    assertThat(raw.llen(P + "ready")).isEqualTo(TASKS * 8 / 10);
    assertThat(raw.zcard(P + "delayed")).isEqualTo(TASKS / 10);
    assertThat(raw.zcard(P + "dead")).isEqualTo(TASKS / 10);
    assertThat(raw.get("dq:data-model")).isEqualTo("2");

    Dq.Result third = Dq.run(env(), "migrate");
    assertThat(third.out().lines())
        .containsExactly("queue old: 0 tasks moved, 0 conflicts", "data model is v2");

    // A v2 broker runs every ready and retried task once, with its attempt and data.
    Map<String, Integer> runs = new HashMap<>();
    try (RedisBroker v2 = RedisBroker.connect(RedisBrokerConfig.builder(redis.url()).build())) {
      for (List<Lease> leases;
          !(leases = v2.dequeueBatch(Q, 500, Duration.ofSeconds(60), Duration.ofMillis(200)))
              .isEmpty(); ) {
        for (Lease lease : leases) {
          Task task = lease.task();
          int i = Integer.parseInt(task.id().value().substring(2));
          runs.merge(task.id().value(), 1, Integer::sum);
          assertThat(task.attempt()).as(task.id().value()).isEqualTo(i % 10 == 8 ? 3 : 1 + i % 2);
          assertThat(task.payload().asUtf8()).isEqualTo("hello");
        }
        assertThat(v2.ackAll(leases)).as("lost leases").isEmpty();
      }
      assertThat(runs).hasSize(TASKS * 9 / 10).allSatisfy((id, n) -> assertThat(n).as(id).isOne());
      assertThat(runs).doesNotContainKeys("t-9", "t-19", "t-19999");
    }

    // The dead ones are in the dead-letter queue, with their failures.
    Dq.Result dead = Dq.run(env(), "dlq", "list", "--queue", Q, "--json", "--limit", "10000");
    assertThat(dead.code()).as("stderr: %s", dead.err()).isZero();
    JsonNode list = new ObjectMapper().readTree(dead.out());
    assertThat(list.path("total").asLong()).isEqualTo(TASKS / 10);
    Set<String> deadIds = new HashSet<>(list.path("entries").findValuesAsText("id"));
    assertThat(deadIds).hasSize(TASKS / 10).contains("t-9", "t-19999");
    assertThat(list.path("entries").findValuesAsText("error_type"))
        .containsOnly("java.lang.IllegalStateException");
  }
}
