package dev.dq.opentelemetry;

import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.adapter.redis.TestRedis;
import dev.dq.core.port.Broker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The trace contract across a real Redis: the producer and the worker pool on separate {@link
 * RedisBroker} clients, so the trace context travels only in the stored task's headers.
 */
final class RedisTracePropagationIT extends TracePropagationContract {
  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  private RedisBroker producer;
  private RedisBroker worker;

  @Override
  Broker producerBroker() {
    if (producer == null) {
      producer = RedisBroker.connect(RedisBrokerConfig.builder(redis.url()).build());
    }
    return producer;
  }

  @Override
  Broker workerBroker() {
    if (worker == null) {
      worker = RedisBroker.connect(RedisBrokerConfig.builder(redis.url()).build());
    }
    return worker;
  }

  @AfterEach
  void closeBrokers() {
    if (producer != null) {
      producer.close();
    }
    if (worker != null) {
      worker.close();
    }
  }
}
