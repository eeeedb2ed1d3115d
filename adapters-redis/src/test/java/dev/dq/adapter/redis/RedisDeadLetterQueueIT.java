package dev.dq.adapter.redis;

import dev.dq.testing.BrokerAndDeadLetters;
import dev.dq.testing.DeadLetterQueueContract;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link RedisDeadLetterQueue} passes the shared contract. */
final class RedisDeadLetterQueueIT extends DeadLetterQueueContract {
  static TestRedis redis;

  @BeforeAll
  static void startRedis() {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Override
  protected BrokerAndDeadLetters create(InstantSource clock, int capacityPerQueue) {
    redis.flushAll();
    RedisBroker broker = redis.broker(clock, capacityPerQueue);
    return new BrokerAndDeadLetters(broker, broker.deadLetterQueue());
  }
}
