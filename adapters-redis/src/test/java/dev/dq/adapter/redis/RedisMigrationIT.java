package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * {@code dq migrate}'s core on a real Redis: v1 data written with raw commands as
 * docs/redis-data-model.md v1 describes it, moved to v2, and the data-model check that a broker
 * runs when it connects.
 */
final class RedisMigrationIT {
  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  private static final String Q = "mq";
  private static final String P = "dq:{mq}:";
  private static final String FAILURE =
      "{\"error_type\":\"java.lang.IllegalStateException\",\"message\":\"boom\",\"attempts\":3,"
          + "\"failed_at_ms\":1767225600000}";
  private static final String DUMP_FAILURE =
      "{\"error_type\":\"dq.undecodable\",\"message\":\"task key is a list, not a hash\","
          + "\"attempts\":1,\"failed_at_ms\":1767225600000}";

  private final List<UnifiedJedis> clients = new ArrayList<>();

  @AfterEach
  void closeClients() {
    clients.forEach(UnifiedJedis::close);
  }

  static String data(String id, String queue) {
    return "{\"v\":1,\"id\":\""
        + id
        + "\",\"queue\":\""
        + queue
        + "\",\"type\":\"email\",\"payload_b64\":\"aGVsbG8=\",\"headers\":{},"
        + "\"created_at_ms\":1767225600000,\"attempt\":1}";
  }

  /**
   * One task in each v1 state, and the odd keys: a string task key, a hash without data (with a
   * dump), and a list (another type, left alone).
   */
  private static void writeV1(RedisClient raw) {
    raw.sadd("dq:queues", Q);
    raw.hset(P + "task:ready-1", Map.of("data", data("ready-1", Q), "attempt", "1"));
    raw.rpush(P + "ready", "ready-1");
    raw.rpush(P + "notify", "1");
    raw.hset(P + "task:delayed-1", Map.of("data", data("delayed-1", Q), "attempt", "1"));
    raw.zadd(P + "delayed", 1767225660000.0, "delayed-1");
    raw.hset(P + "task:active-1", Map.of("data", data("active-1", Q), "attempt", "2"));
    raw.zadd(P + "active", 1767225630000.0, "active-1");
    raw.incr(P + "token-seq");
    raw.hset(P + "leases", "active-1", "1");
    raw.hset(P + "task:retried-1", Map.of("data", data("retried-1", Q), "attempt", "3"));
    raw.zadd(P + "delayed", 1767225690000.0, "retried-1");
    raw.hset(
        P + "task:dead-1", Map.of("data", data("dead-1", Q), "attempt", "3", "failure", FAILURE));
    raw.zadd(P + "dead", raw.incr(P + "dead-seq"), "dead-1");
    raw.set(P + "task:string-1", data("string-1", Q));
    raw.rpush(P + "ready", "string-1");
    raw.hset(P + "task:nodata-1", Map.of("dump", "\u0000raw-dump", "failure", DUMP_FAILURE));
    raw.zadd(P + "dead", raw.incr(P + "dead-seq"), "nodata-1");
    raw.rpush(P + "task:list-1", "a", "b");
    raw.rpush(P + "ready", "list-1");
  }

  private RedisMigration migration() {
    return RedisMigration.connect(redis.config().build());
  }

  private RedisGateway gateway() {
    RedisBrokerConfig config = redis.config().build();
    UnifiedJedis jedis = RedisConnections.create(config);
    clients.add(jedis);
    return new RedisGateway(jedis, false, config);
  }

  private static MigrationReport run(RedisMigration m, List<String> queues, boolean dryRun) {
    return m.migrate(queues, dryRun, q -> {});
  }

  /** Every key and its content, as text, to compare two states of the server. */
  private static Map<String, String> snapshot(RedisClient raw) {
    Map<String, String> all = new TreeMap<>();
    for (String key : new TreeSet<>(raw.keys("*"))) {
      String value =
          switch (raw.type(key)) {
            case "hash" -> new TreeMap<>(raw.hgetAll(key)).toString();
            case "list" -> raw.lrange(key, 0, -1).toString();
            case "zset" -> raw.zrangeWithScores(key, 0, -1).toString();
            case "set" -> new TreeSet<>(raw.smembers(key)).toString();
            default -> raw.get(key);
          };
      all.put(key, value);
    }
    return all;
  }

  @Test
  void migrate_v1Data_movesEveryTaskIntoTheV2HashesAndLeavesOtherTypes() {
    RedisClient raw = redis.admin();
    writeV1(raw);

    MigrationReport report;
    try (RedisMigration m = migration()) {
      report = run(m, List.of(), false);
    }

    assertThat(report.queues())
        .containsExactly(new MigrationReport.Queue(Q, 7, 0, List.of("list-1")));
    assertThat(raw.hgetAll(P + "tasks"))
        .isEqualTo(
            Map.of(
                "ready-1", data("ready-1", Q),
                "delayed-1", data("delayed-1", Q),
                "active-1", data("active-1", Q),
                "retried-1", data("retried-1", Q),
                "dead-1", data("dead-1", Q),
                "string-1", data("string-1", Q),
                "nodata-1", ""));
    assertThat(raw.hgetAll(P + "attempts"))
        .isEqualTo(
            Map.of(
                "ready-1",
                "1",
                "delayed-1",
                "1",
                "active-1",
                "2",
                "retried-1",
                "3",
                "dead-1",
                "3"));
    assertThat(raw.hgetAll(P + "failures"))
        .isEqualTo(Map.of("dead-1", FAILURE, "nodata-1", DUMP_FAILURE));
    assertThat(raw.hgetAll(P + "dumps")).isEqualTo(Map.of("nodata-1", "\u0000raw-dump"));
    assertThat(raw.keys(P + "task:*")).containsExactly(P + "task:list-1");
    assertThat(raw.lrange(P + "ready", 0, -1)).containsExactly("ready-1", "string-1", "list-1");
    assertThat(raw.zrange(P + "dead", 0, -1)).containsExactly("dead-1", "nodata-1");
    assertThat(raw.hgetAll(P + "leases")).isEqualTo(Map.of("active-1", "1"));
    assertThat(raw.get(RedisKeys.DATA_MODEL)).isEqualTo("2");
  }

  @Test
  void migrate_rerun_changesNothing() {
    RedisClient raw = redis.admin();
    writeV1(raw);
    try (RedisMigration m = migration()) {
      run(m, List.of(), false);
      Map<String, String> after = snapshot(raw);

      MigrationReport again = run(m, List.of(), false);

      assertThat(again.queues())
          .containsExactly(new MigrationReport.Queue(Q, 0, 0, List.of("list-1")));
      assertThat(snapshot(raw)).isEqualTo(after);
    }
  }

  @Test
  void migrate_dryRun_countsAndChangesNothing() {
    RedisClient raw = redis.admin();
    writeV1(raw);
    Map<String, String> before = snapshot(raw);

    MigrationReport report;
    try (RedisMigration m = RedisMigration.connect(redis.config().build(), 2)) {
      report = run(m, List.of(), true);
    }

    assertThat(report.dryRun()).isTrue();
    assertThat(report.queues())
        .containsExactly(new MigrationReport.Queue(Q, 7, 0, List.of("list-1")));
    assertThat(snapshot(raw)).isEqualTo(before);
  }

  @Test
  void migrate_idAlreadyInV2_dropsTheV1KeyAsAConflictAndKeepsTheV2Entry() {
    RedisClient raw = redis.admin();
    writeV1(raw);
    raw.hset(P + "tasks", "ready-1", "v2 entry");

    MigrationReport report;
    try (RedisMigration m = migration()) {
      report = run(m, List.of(), false);
    }

    assertThat(report.queues())
        .containsExactly(new MigrationReport.Queue(Q, 6, 1, List.of("list-1")));
    assertThat(raw.hget(P + "tasks", "ready-1")).isEqualTo("v2 entry");
    assertThat(raw.hexists(P + "attempts", "ready-1")).isFalse();
    assertThat(raw.exists(P + "task:ready-1")).isFalse();
  }

  @Test
  void migrate_redisAlreadyMarkedV2_stillMovesTheV1Keys() {
    RedisClient raw = redis.admin();
    raw.set(RedisKeys.DATA_MODEL, "2"); // a v2 process saw it empty, then a v1 producer wrote
    writeV1(raw);
    List<String> markDuringTheRun = new ArrayList<>();

    MigrationReport report;
    try (RedisMigration m = migration()) {
      report =
          m.migrate(List.of(), false, q -> markDuringTheRun.add(raw.get(RedisKeys.DATA_MODEL)));
    }

    assertThat(markDuringTheRun).containsExactly("1");
    assertThat(report.moved()).isEqualTo(7);
    assertThat(raw.keys(P + "task:*")).containsExactly(P + "task:list-1");
    assertThat(raw.get(RedisKeys.DATA_MODEL)).isEqualTo("2");
  }

  @Test
  void migrate_givenQueueNotListed_isMigratedToo() {
    RedisClient raw = redis.admin();
    raw.hset("dq:{unlisted}:task:u-1", Map.of("data", data("u-1", "unlisted"), "attempt", "1"));
    raw.rpush("dq:{unlisted}:ready", "u-1");

    MigrationReport report;
    try (RedisMigration m = RedisMigration.connect(redis.config().build(), 1)) {
      report = run(m, List.of("unlisted"), false);
    }

    assertThat(report.moved()).isEqualTo(1);
    assertThat(raw.hget("dq:{unlisted}:tasks", "u-1")).isEqualTo(data("u-1", "unlisted"));
    assertThat(raw.exists("dq:{unlisted}:task:u-1")).isFalse();
  }

  @Test
  void check_v1Data_throwsWithTheCommandToRun_andPassesAfterTheMigration() {
    RedisClient raw = redis.admin();
    writeV1(raw);

    assertThatThrownBy(() -> DataModel.check(gateway()))
        .isInstanceOf(RedisDataModelException.class)
        .isInstanceOf(RedisAccessException.class)
        .hasMessage(
            "Redis at 127.0.0.1:"
                + redis.port()
                + " holds queue 'mq' in dq's data model v1 (8 tasks); stop every older dq"
                + " process, then run: dq migrate --redis-url redis://127.0.0.1:"
                + redis.port()
                + "/0");
    assertThat(raw.exists(RedisKeys.DATA_MODEL)).isFalse();

    try (RedisMigration m = migration()) {
      run(m, List.of(), false);
    }

    assertThatCode(() -> DataModel.check(gateway())).doesNotThrowAnyException();
  }

  @Test
  void check_unfinishedMigration_throws() {
    RedisClient raw = redis.admin();
    raw.set(RedisKeys.DATA_MODEL, DataModel.MIGRATING);

    assertThatThrownBy(() -> DataModel.check(gateway()))
        .isInstanceOf(RedisDataModelException.class)
        .hasMessageContaining("a dq migrate that did not finish")
        .hasMessageEndingWith(
            "run: dq migrate --redis-url redis://127.0.0.1:" + redis.port() + "/0");
  }

  @Test
  void check_noV1Queue_marksTheRedisAsV2() {
    RedisClient raw = redis.admin();
    raw.sadd("dq:queues", "empty", "v2");
    raw.hset("dq:{v2}:tasks", "t-1", data("t-1", "v2"));
    raw.rpush("dq:{v2}:ready", "t-1");

    DataModel.check(gateway());

    assertThat(raw.get(RedisKeys.DATA_MODEL)).isEqualTo("2");
  }

  @Test
  void check_markedV2_readsNothingElse() {
    RedisClient raw = redis.admin();
    writeV1(raw); // would fail the check, were the mark not there
    raw.set(RedisKeys.DATA_MODEL, "2");

    assertThatCode(() -> DataModel.check(gateway())).doesNotThrowAnyException();
  }
}
