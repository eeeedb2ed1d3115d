package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.ops.Throughput;
import dev.dq.core.ops.ThroughputCounts;
import dev.dq.core.port.Broker;
import dev.dq.testing.ThroughputContract;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisBroker} passes the throughput contract; its hash stays bounded and expires. */
final class RedisThroughputIT extends ThroughputContract {
  @RegisterExtension static final TestRedis redis = TestRedis.plain().keepingData();
  private static final String KEY = "dq:{q}:throughput";

  @Override
  protected Broker createBroker(InstantSource clock) {
    redis.flushAll();
    return redis.broker(clock, 1_000);
  }

  @Test
  void hash_boundedToTheWindow_andExpiringAfterTwoHours() {
    for (int minute = 0; minute < 3 * Throughput.MAX_MINUTES; minute++) {
      throughput.record("q", new ThroughputCounts(1, 1, 1));
      clock.advance(Duration.ofMinutes(1));
    }

    assertThat(redis.admin().hlen(KEY)).isLessThanOrEqualTo(3L * (Throughput.MAX_MINUTES + 1) + 1);
    assertThat(redis.admin().pttl(KEY))
        .isBetween(Duration.ofMinutes(119).toMillis(), Duration.ofHours(2).toMillis());
    assertThat(redis.admin().hget(KEY, "trimmed")).isNotNull();
  }

  @Test
  void nothingToRecord_writesNothing() {
    throughput.record("q", ThroughputCounts.NONE);

    assertThat(redis.admin().exists(KEY)).isFalse();
  }
}
