package dev.dq.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;

/**
 * {@code DQ_BROKER=redis}: a {@link RedisBroker} on {@code DQ_REDIS_URL} serving as {@link Broker}
 * and its DLQ. Building it does not connect; the first command does (and fails with {@code
 * BrokerUnavailableException} if Redis is down).
 */
final class RedisBrokerModule extends AbstractModule {
  private final String url;
  private final int capacity;

  /**
   * @param url {@code redis://[user:password@]host:port/db} or {@code rediss://...}, already
   *     checked
   * @param capacity most waiting tasks per queue, for all producers together, already checked
   */
  RedisBrokerModule(String url, int capacity) {
    this.url = url;
    this.capacity = capacity;
  }

  @Provides
  @Singleton
  RedisBroker redisBroker() {
    return RedisBroker.connect(RedisBrokerConfig.builder(url).capacityPerQueue(capacity).build());
  }

  @Provides
  @Singleton
  Broker broker(RedisBroker broker) {
    return broker;
  }

  @Provides
  @Singleton
  DeadLetterQueue deadLetterQueue(RedisBroker broker) {
    return broker.deadLetterQueue();
  }
}
