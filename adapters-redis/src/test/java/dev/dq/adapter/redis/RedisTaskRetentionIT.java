package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.lifecycle.Retention;
import dev.dq.testing.BrokerAndDeadLetters;
import dev.dq.testing.TaskRetentionContract;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisBroker} passes the retention contract, plus the settings' documented format. */
final class RedisTaskRetentionIT extends TaskRetentionContract {
  @RegisterExtension static final TestRedis redis = TestRedis.plain().keepingData();

  @Override
  protected BrokerAndDeadLetters create(InstantSource clock) {
    redis.flushAll();
    RedisBroker b = redis.broker(clock, 10_000);
    return new BrokerAndDeadLetters(b, b.deadLetterQueue());
  }

  @Override
  protected void recordFinished(String queue, String id, Instant finishedAt) {
    RedisTaskState.recordFinished(redis.admin(), queue, id, finishedAt);
  }

  @Override
  protected List<String> leftOf(String queue, String id) {
    return RedisTaskState.leftOf(redis.admin(), queue, id);
  }

  @Test
  void setRetention_writesTheDocumentedFormat() {
    retention.setRetention("q1", new Retention(Duration.ofHours(2), 5, Duration.ofDays(3), 7));

    assertThat(redis.admin().hget("dq:retention", "q1"))
        .isEqualTo("finished_ms=7200000;finished_max=5;dead_ms=259200000;dead_max=7");
  }

  @Test
  void retentionWrittenByHand_partly_keepsTheDefaultsForTheRest() {
    redis.admin().hset("dq:retention", "q2", "dead_max=10");
    clock.advance(RedisRetention.REFRESH); // the snapshot read before is stale now

    assertThat(retention.retentionOf("q2"))
        .isEqualTo(
            new Retention(
                Retention.DEFAULT.finishedFor(),
                Retention.DEFAULT.finishedMax(),
                Retention.DEFAULT.deadFor(),
                10));
  }
}
