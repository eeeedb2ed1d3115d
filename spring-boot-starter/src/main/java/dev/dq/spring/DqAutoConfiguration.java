package dev.dq.spring;

import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.core.client.DqClient;
import dev.dq.core.client.PayloadCodec;
import dev.dq.core.client.StringCodec;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.worker.TaskEventListener;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * dq for a Spring Boot application: the broker chosen by {@code dq.broker}, its dead-letter queue,
 * a {@link DqClient} to publish with, and (unless {@code dq.worker.enabled=false}) a worker pool
 * serving every {@link dev.dq.core.worker.NamedTaskHandler} and {@link
 * dev.dq.core.client.TypedHandler} bean, started with the context and stopped in its shutdown
 * phase. Each bean backs off when the application defines its own.
 */
@AutoConfiguration
@EnableConfigurationProperties(DqProperties.class)
public class DqAutoConfiguration {

  /**
   * The broker {@code dq.broker} names; closed with the context, after the worker pool stopped.
   *
   * @param properties the settings
   * @return the broker
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(Broker.class)
  public Broker dqBroker(DqProperties properties) {
    return switch (properties.getBroker()) {
      case MEMORY ->
          InMemoryBroker.builder().capacity(properties.getMemory().getCapacityPerQueue()).build();
      case REDIS -> RedisBroker.connect(redisConfig(properties.getRedis()));
    };
  }

  static RedisBrokerConfig redisConfig(DqProperties.Redis redis) {
    RedisBrokerConfig.Builder builder;
    try {
      builder = RedisBrokerConfig.builder(redis.getUrl());
    } catch (IllegalArgumentException e) {
      // The parser's message never holds the password; the value shown here drops it too.
      throw new InvalidDqPropertyException(
          "dq.redis.url", withoutPassword(redis.getUrl()), e.getMessage());
    }
    return builder.capacityPerQueue(redis.getCapacityPerQueue()).build();
  }

  static String withoutPassword(String url) {
    return url.replaceAll("//[^@/]*@", "//***@");
  }

  /**
   * The dead-letter queue of the broker, for inspecting and requeueing failed tasks.
   *
   * @param broker the broker
   * @return its dead-letter queue
   */
  @Bean
  @ConditionalOnMissingBean(DeadLetterQueue.class)
  public DeadLetterQueue dqDeadLetterQueue(Broker broker) {
    if (broker instanceof InMemoryBroker memory) {
      return memory.deadLetterQueue();
    }
    if (broker instanceof RedisBroker redis) {
      return redis.deadLetterQueue();
    }
    throw new IllegalStateException(
        "the Broker bean is a "
            + broker.getClass().getName()
            + ", whose dead-letter queue dq cannot find: define a DeadLetterQueue bean too");
  }

  /**
   * The codec of payloads and results when the application defines none and {@code
   * dq-codec-jackson} is absent: {@link StringCodec} (strings, bytes).
   *
   * @return the codec
   */
  @Bean
  @ConditionalOnMissingBean(PayloadCodec.class)
  @ConditionalOnMissingClass("dev.dq.codec.jackson.JacksonCodec")
  public PayloadCodec dqPayloadCodec() {
    return StringCodec.INSTANCE;
  }

  /** JSON payloads when {@code dq-codec-jackson} is on the classpath. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "dev.dq.codec.jackson.JacksonCodec")
  static class Json {
    @Bean
    @ConditionalOnMissingBean(PayloadCodec.class)
    PayloadCodec dqPayloadCodec() {
      return new dev.dq.codec.jackson.JacksonCodec();
    }
  }

  /**
   * The typed client: publish, look up, await results, cancel.
   *
   * @param broker the broker
   * @param codec the codec
   * @return the client
   */
  @Bean
  @ConditionalOnMissingBean(DqClient.class)
  public DqClient dqClient(Broker broker, PayloadCodec codec) {
    return DqClient.builder(broker).codec(codec).build();
  }

  /**
   * The worker pool, a {@link org.springframework.context.SmartLifecycle}: it starts after the
   * other beans are ready and stops first on shutdown, within {@code dq.worker.shutdown-grace}.
   *
   * @param broker the broker
   * @param properties the settings
   * @param codec the codec typed handlers decode with
   * @param beans where the handler beans are found
   * @param listeners every {@code TaskEventListener} bean
   * @return the pool's lifecycle
   */
  @Bean
  @ConditionalOnMissingBean(DqWorkers.class)
  @ConditionalOnProperty(prefix = "dq.worker", name = "enabled", matchIfMissing = true)
  public DqWorkers dqWorkers(
      Broker broker,
      DqProperties properties,
      PayloadCodec codec,
      ListableBeanFactory beans,
      ObjectProvider<TaskEventListener> listeners) {
    return new DqWorkers(
        broker,
        PoolSettings.from(properties),
        Handlers.collect(beans, codec),
        listeners.orderedStream().toList(),
        properties.getWorker().getShutdownGrace());
  }

  /** The health indicator, when the application has Spring Boot's health support. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "dqHealthIndicator")
    DqHealthIndicator dqHealthIndicator(
        Broker broker, DqProperties properties, ObjectProvider<DqWorkers> workers) {
      return new DqHealthIndicator(
          broker, PoolSettings.queueNames(properties), workers.getIfAvailable());
    }
  }
}
