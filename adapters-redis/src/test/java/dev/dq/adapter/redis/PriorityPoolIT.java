package dev.dq.adapter.redis;

import dev.dq.core.port.Broker;
import dev.dq.testing.PriorityPoolContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker pool on {@link RedisBroker} starts urgent tasks first while every worker is busy; the
 * tasks are published through a second broker, as by another process.
 */
final class PriorityPoolIT extends PriorityPoolContract {
  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  private RedisBroker producer;
  private RedisBroker consumer;

  @BeforeEach
  void connect() {
    producer = redis.broker(100_000);
    consumer = redis.broker(100_000);
  }

  @Override
  protected Broker producer() {
    return producer;
  }

  @Override
  protected Broker consumer() {
    return consumer;
  }

  @AfterEach
  void close() {
    consumer.close();
    producer.close();
  }
}
