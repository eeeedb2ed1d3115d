package dev.dq.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.app.config.AppSettings;
import dev.dq.app.config.BadSettingException;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;

/**
 * {@code DQ_BROKER=redis}: a {@link RedisBroker} on {@code DQ_REDIS_URL} serving as {@link Broker}
 * and its DLQ, confirming enqueues with WAIT when {@code DQ_DURABLE_REPLICAS} is above 0. Building
 * it does not connect; the first command does (and fails with {@code BrokerUnavailableException} if
 * Redis is down).
 */
final class RedisBrokerModule extends AbstractModule {
  private final AppSettings app;

  /**
   * @param app the shared settings, already checked: the Redis URL ({@code redis://}, {@code
   *     rediss://}, a Sentinel or a Cluster URL), the capacity per queue and durable enqueue
   */
  RedisBrokerModule(AppSettings app) {
    this.app = app;
  }

  /** The broker settings {@code app} gives, for callers that add their own (bench). */
  static RedisBrokerConfig.Builder config(AppSettings app) {
    RedisBrokerConfig.Builder config =
        RedisBrokerConfig.builder(app.redisUrl()).capacityPerQueue(app.queueCapacity());
    if (app.durableReplicas() > 0) {
      config.durableReplicas(app.durableReplicas(), app.durableTimeout());
    }
    return config;
  }

  @Provides
  @Singleton
  RedisBroker redisBroker() {
    RedisBrokerConfig config;
    try {
      config = config(app).build();
    } catch (IllegalArgumentException e) {
      // Settings that are each valid but do not go together, e.g. durable enqueue on a cluster.
      throw new BadSettingException(e.getMessage());
    }
    return RedisBroker.connect(config);
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
