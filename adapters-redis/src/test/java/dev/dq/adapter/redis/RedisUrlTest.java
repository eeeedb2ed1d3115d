package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

final class RedisUrlTest {

  @Test
  void parse_fullUrl_readsEveryPart() {
    RedisUrl url = RedisUrl.parse("rediss://worker:s3cret@redis.example.com:6380/2");

    assertThat(url.tls()).isTrue();
    assertThat(url.host()).isEqualTo("redis.example.com");
    assertThat(url.port()).isEqualTo(6380);
    assertThat(url.user()).contains("worker");
    assertThat(url.password()).contains("s3cret");
    assertThat(url.database()).isEqualTo(2);
  }

  @Test
  void parse_minimalUrl_usesDefaults() {
    RedisUrl url = RedisUrl.parse("redis://localhost");

    assertThat(url.tls()).isFalse();
    assertThat(url.port()).isEqualTo(6379);
    assertThat(url.user()).isEmpty();
    assertThat(url.password()).isEmpty();
    assertThat(url.database()).isZero();
  }

  @Test
  void parse_passwordOnly_hasNoUser() {
    RedisUrl url = RedisUrl.parse("redis://:s3cret@localhost:7000");

    assertThat(url.user()).isEmpty();
    assertThat(url.password()).contains("s3cret");
  }

  @Test
  void toString_withPassword_masksIt() {
    RedisUrl url = RedisUrl.parse("redis://worker:s3cret@localhost:7000/1");

    assertThat(url.toString())
        .isEqualTo("redis://worker:***@localhost:7000/1")
        .doesNotContain("s3cret");
    assertThat(RedisBrokerConfig.builder("redis://worker:s3cret@localhost:7000").build().toString())
        .doesNotContain("s3cret");
  }

  @Test
  void parse_badUrls_failWithoutEchoingThePassword() {
    assertThatThrownBy(() -> RedisUrl.parse("http://u:s3cret@localhost"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redis://")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> RedisUrl.parse("redis://u:s3cret@localhost/x"))
        .hasMessageContaining("database")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> RedisUrl.parse("redis://u:s3c ret@local host"))
        .hasMessageNotContaining("s3c");
    assertThatThrownBy(() -> RedisUrl.parse("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builder_badValues_failWithTheValue() {
    var builder = RedisBrokerConfig.builder("redis://localhost");

    assertThatThrownBy(() -> builder.capacityPerQueue(0))
        .hasMessage("capacityPerQueue must be >= 1: 0");
    assertThatThrownBy(() -> builder.poolSize(-1)).hasMessage("poolSize must be >= 1: -1");
    assertThatThrownBy(() -> builder.blockTimeout(Duration.ofMinutes(1)))
        .hasMessageContaining("PT1M");
  }

  @Test
  void build_clusterWithDatabase_failsWithoutThePassword() {
    var builder = RedisBrokerConfig.builder("redis://u:s3cret@localhost:7000/2").cluster(true);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("database 0 only")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void parse_sentinelUrl_readsSentinelsMasterAndDatabase() {
    RedisUrl url =
        RedisUrl.parse(
            "redis-sentinel://worker:s3cret@10.0.0.1:26380,sentinel-b,[::1]:5/mymaster/3");

    assertThat(url.sentinel()).isTrue();
    assertThat(url.tls()).isFalse();
    assertThat(url.sentinels())
        .containsExactly(
            new RedisUrl.HostPort("10.0.0.1", 26380),
            new RedisUrl.HostPort("sentinel-b", RedisUrl.SENTINEL_PORT),
            new RedisUrl.HostPort("::1", 5));
    assertThat(url.masterName()).contains("mymaster");
    assertThat(url.database()).isEqualTo(3);
    assertThat(url.user()).contains("worker");
    assertThat(url.password()).contains("s3cret");
    assertThat(url.toString())
        .isEqualTo(
            "redis-sentinel://worker:***@10.0.0.1:26380,sentinel-b:26379,[::1]:5/mymaster/3");
    assertThat(url.endpoint())
        .isEqualTo("mymaster via sentinels 10.0.0.1:26380,sentinel-b:26379,[::1]:5");
  }

  @Test
  void parse_tlsSentinelUrl_isTlsWithDatabaseZero() {
    RedisUrl url = RedisUrl.parse("rediss-sentinel://s3cr%40t@h:1/primary");

    assertThat(url.tls()).isTrue();
    assertThat(url.sentinel()).isTrue();
    assertThat(url.password()).contains("s3cr@t");
    assertThat(url.user()).isEmpty();
    assertThat(url.database()).isZero();
    assertThat(RedisUrl.parse("redis://h").sentinel()).isFalse();
    assertThat(RedisUrl.parse("redis://h").sentinels()).isEmpty();
    assertThat(RedisUrl.parse("redis://h").masterName()).isEmpty();
  }

  @Test
  void parse_badSentinelUrls_nameTheBadPartWithoutThePassword() {
    assertThatThrownBy(() -> RedisUrl.parse("redis-sentinel://u:s3cret@h:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("master")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> RedisUrl.parse("redis-sentinel://u:s3cret@/m"))
        .hasMessageContaining("no sentinel")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> RedisUrl.parse("redis-sentinel://u:s3/cret@h:x/m"))
        .hasMessageContaining("sentinel port must be a number: \"x\"")
        .hasMessageNotContaining("s3");
    assertThatThrownBy(() -> RedisUrl.parse("redis-sentinel://h:1,h:70000/m"))
        .hasMessageContaining("sentinel port must be 1..65535: 70000");
    assertThatThrownBy(() -> RedisUrl.parse("redis-sentinel://h:1,,h:2/m"))
        .hasMessageContaining("sentinel address must be host[:port]: \"\"");
    assertThatThrownBy(() -> RedisUrl.parse("redis-sentinel://u:s3cret@h/m/x"))
        .hasMessageContaining("database must be a number: \"x\"")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> RedisUrl.parse("redis-sentinel://h/m/1/2"))
        .hasMessageContaining("/master-name[/db]");
  }

  @Test
  void build_clusterWithSentinelUrl_fails() {
    var builder = RedisBrokerConfig.builder("redis-sentinel://u:s3cret@h/m").cluster(true);

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sentinel")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void parse_clusterUrl_readsSeedNodesAndSelectsCluster() {
    RedisUrl url = RedisUrl.parse("redis-cluster://worker:s3cret@10.0.0.1:7000,node-b,[::1]:7002");

    assertThat(url.cluster()).isTrue();
    assertThat(url.sentinel()).isFalse();
    assertThat(url.tls()).isFalse();
    assertThat(url.clusterNodes())
        .containsExactly(
            new RedisUrl.HostPort("10.0.0.1", 7000),
            new RedisUrl.HostPort("node-b", 6379),
            new RedisUrl.HostPort("::1", 7002));
    assertThat(url.host()).isEqualTo("10.0.0.1");
    assertThat(url.port()).isEqualTo(7000);
    assertThat(url.database()).isZero();
    assertThat(url.user()).contains("worker");
    assertThat(url.password()).contains("s3cret");
    assertThat(url.toString())
        .isEqualTo("redis-cluster://worker:***@10.0.0.1:7000,node-b:6379,[::1]:7002");
    assertThat(url.endpoint()).isEqualTo("cluster 10.0.0.1:7000,node-b:6379,[::1]:7002");
    assertThat(RedisBrokerConfig.builder("redis-cluster://h:1").build().cluster()).isTrue();
    assertThat(RedisBrokerConfig.builder("redis-cluster://h:1").cluster(false).build().cluster())
        .isTrue();
    assertThat(RedisUrl.parse("redis://h").cluster()).isFalse();
    assertThat(RedisUrl.parse("redis://h").clusterNodes()).isEmpty();
  }

  @Test
  void parse_tlsClusterUrlWithDatabaseZero_isTls() {
    RedisUrl url = RedisUrl.parse("rediss-cluster://s3cr%40t@h:1/0");

    assertThat(url.tls()).isTrue();
    assertThat(url.cluster()).isTrue();
    assertThat(url.password()).contains("s3cr@t");
    assertThat(url.toString()).isEqualTo("rediss-cluster://:***@h:1");
  }

  @Test
  void parse_badClusterUrls_nameTheBadPartWithoutThePassword() {
    assertThatThrownBy(() -> RedisUrl.parse("redis-cluster://u:s3cret@h:1/2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("database 0 only")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> RedisUrl.parse("redis-cluster://u:s3cret@"))
        .hasMessageContaining("no cluster node")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> RedisUrl.parse("redis-cluster://u:s3cret@h:1,h:x"))
        .hasMessageContaining("cluster port must be a number: \"x\"")
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> RedisUrl.parse("redis-cluster://h:1,,h:2"))
        .hasMessageContaining("cluster address must be host[:port]: \"\"");
    assertThatThrownBy(() -> RedisUrl.parse("redis-cluster://h:1/x"))
        .hasMessageContaining("database must be a number: \"x\"");
  }
}
