package dev.dq.app;

import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.adapter.redis.TestRedis;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A private redis-server (free loopback port, own directory; never the shared 6379) for a class of
 * jar tests, emptied before each test, plus a {@link RedisBroker} on it for setting up and checking
 * state.
 */
abstract class WithRedis {
  static TestRedis redis;
  RedisBroker broker;

  @BeforeAll
  static void startRedis() {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void emptyRedis() {
    redis.flushAll();
    broker = RedisBroker.connect(RedisBrokerConfig.builder(redis.url()).build());
  }

  @AfterEach
  void closeBroker() {
    broker.close();
  }

  /**
   * Keys in this Redis other than {@code dq:data-model}, the mark every broker writes when it
   * connects to a Redis without one (see docs/redis-data-model.md, "Upgrading from v1").
   */
  static long keysOtherThanTheDataModelMark() {
    return redis.admin().keys("*").stream().filter(k -> !k.equals("dq:data-model")).count();
  }

  /** The environment that points dq at this Redis, plus {@code more} key-value pairs. */
  static Map<String, String> env(String... more) {
    Map<String, String> env =
        new HashMap<>(Map.of("DQ_BROKER", "redis", "DQ_REDIS_URL", redis.url()));
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }
}
