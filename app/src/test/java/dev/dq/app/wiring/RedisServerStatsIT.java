package dev.dq.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.adapter.redis.TestRedis;
import dev.dq.app.config.ServerStats;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bench's INFO reader on a private redis-server with an ACL user besides the default one. */
final class RedisServerStatsIT {
  private static TestRedis redis;

  @BeforeAll
  static void startRedis() {
    redis = TestRedis.start(List.of("--user", "bench", "on", ">s3cret", "~*", "+@all"));
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  private static String url(String userInfo) {
    return "redis://" + userInfo + "127.0.0.1:" + redis.port();
  }

  @Test
  void read_plainUrl_givesCpuAndCommandstatsFields() {
    try (ServerStats stats = RedisServerStats.of(RedisBrokerConfig.builder(url("")))) {
      stats.read();

      assertThat(stats.read())
          .containsKeys("used_cpu_user", "used_cpu_sys_main_thread", "cmdstat_info")
          .allSatisfy((name, value) -> assertThat(name).doesNotStartWith("#"));
    }
  }

  @Test
  void read_aclUserInTheUrl_authenticatesFirst() {
    try (ServerStats stats = RedisServerStats.of(RedisBrokerConfig.builder(url("bench:s3cret@")))) {
      assertThat(stats.read()).containsKey("used_cpu_user");
    }
  }

  @Test
  void read_wrongPassword_failsWithoutShowingIt() {
    try (ServerStats stats =
        RedisServerStats.of(RedisBrokerConfig.builder(url("bench:nottheone@")))) {
      assertThatThrownBy(stats::read)
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("cannot read the Redis server's counters")
          .hasMessageNotContaining("nottheone");
    }
  }

  @Test
  void of_cluster_hasNoStats() {
    assertThat(RedisServerStats.of(RedisBrokerConfig.builder("redis-cluster://127.0.0.1:7000")))
        .isSameAs(ServerStats.NONE);
  }
}
