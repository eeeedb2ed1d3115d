package dev.dq.adapter.redis;

import dev.dq.core.port.Broker;
import dev.dq.testing.QueueSelectionContract;
import java.time.Duration;
import java.time.InstantSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Weighted and strict queue selection of a worker pool on Redis, at {@code dq run}'s prefetch of 4:
 * a slot then runs a claimed batch from one queue before it chooses again.
 */
final class RedisQueueSelectionIT extends QueueSelectionContract {
  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  /** The real-time broker (Redis server time), as {@code dq run} uses it; {@code clock} is it. */
  @Override
  protected Broker createBroker(InstantSource clock) {
    return redis.broker(100_000);
  }

  @Override
  protected int prefetch() {
    return 4;
  }

  /** A batch of 4 low tasks holds a slot for 800 ms: measure over more of them. */
  @Override
  protected Duration run() {
    return Duration.ofSeconds(8);
  }
}
