package dev.dq.adapter.redis;

import static org.awaitility.Awaitility.await;

import dev.dq.core.port.Broker;
import dev.dq.testing.BackgroundCall;
import dev.dq.testing.LimitsContract;
import java.time.InstantSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisBroker} passes the shared {@link LimitsContract}, on the claim's now override. */
final class RedisLimitsIT extends LimitsContract {
  @RegisterExtension static final TestRedis redis = TestRedis.plain().keepingData();

  @Override
  protected Broker createBroker(InstantSource clock) {
    redis.flushAll();
    return redis.broker(clock, 1_000);
  }

  @Override
  protected void awaitBlocked(BackgroundCall<?> call) {
    await().atMost(PATIENCE).until(() -> TestRedis.isWaitingInRedis(call));
  }
}
