package dev.dq.spring;

import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.core.client.DqClient;
import dev.dq.core.client.PayloadCodec;
import dev.dq.core.client.StringCodec;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.worker.NamedTaskHandler;
import dev.dq.core.worker.TaskEventListener;
import java.util.Map;
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
    // Up to the last '@': a password may itself hold '/' or '@'.
    return url.replaceFirst("//.*@", "//***@");
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
   * @param listeners every {@code TaskEventListener} bean, told of each enqueue
   * @return the client
   */
  @Bean
  @ConditionalOnMissingBean(DqClient.class)
  public DqClient dqClient(
      Broker broker, PayloadCodec codec, ObjectProvider<TaskEventListener> listeners) {
    return DqClient.builder(broker).codec(codec).listener(new LazyListeners(listeners)).build();
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
   * @param decorators every {@code HandlerDecorator} bean, applied in order (tracing's among them
   *     when {@code dq-opentelemetry} is present)
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
      ObjectProvider<TaskEventListener> listeners,
      ObjectProvider<HandlerDecorator> decorators) {
    Map<String, NamedTaskHandler> handlers = Handlers.collect(beans, codec);
    for (HandlerDecorator decorator : decorators.orderedStream().toList()) {
      handlers.replaceAll((type, handler) -> decorator.decorate(handler));
    }
    return new DqWorkers(
        broker,
        PoolSettings.from(properties),
        handlers,
        new LazyListeners(listeners),
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

  /**
   * dq's metrics under {@code dq run}'s names, when {@code dq-micrometer} is present: a {@code
   * MeterBinder} (Spring Boot binds it to the application's registry, so {@code
   * /actuator/prometheus} shows them) and a {@code TaskEventListener} of the pool and the client.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {"dev.dq.micrometer.DqMetrics", "io.micrometer.core.instrument.MeterRegistry"})
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean(type = "dev.dq.micrometer.DqMetrics")
    dev.dq.micrometer.DqMetrics dqMetrics(
        Broker broker,
        DeadLetterQueue deadLetters,
        DqProperties properties,
        ObjectProvider<DqWorkers> workers) {
      dev.dq.micrometer.DqMetrics.Builder builder =
          dev.dq.micrometer.DqMetrics.builder()
              .queues(PoolSettings.queueNames(properties))
              .broker(broker, deadLetters);
      DqWorkers pool = workers.getIfAvailable();
      if (pool != null) {
        builder.types(pool.types()).pool(pool.pool(), pool.workers());
      }
      return builder.build();
    }
  }

  /**
   * Trace propagation when {@code dq-opentelemetry} is present: every handler runs each attempt in
   * a consumer span, a child of the publisher's span. Uses the application's {@code OpenTelemetry}
   * bean, else the global one, looked up per span (so one the Java agent or the application sets
   * later counts); it never installs a global itself, which would make a later {@code
   * GlobalOpenTelemetry.set} fail. A listener bean ends each span by the pool's outcome. Publish
   * through {@code DqTracing.enqueue} to start the trace.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {"dev.dq.opentelemetry.DqTracing", "io.opentelemetry.api.OpenTelemetry"})
  static class Tracing {
    @Bean
    @ConditionalOnMissingBean(type = "dev.dq.opentelemetry.DqTracing")
    dev.dq.opentelemetry.DqTracing dqTracing(
        ObjectProvider<io.opentelemetry.api.OpenTelemetry> openTelemetry) {
      io.opentelemetry.api.OpenTelemetry own = openTelemetry.getIfAvailable();
      return own != null
          ? dev.dq.opentelemetry.DqTracing.create(own)
          : dev.dq.opentelemetry.DqTracing.global();
    }

    /** Ends each attempt's span by the pool's outcome: timed out, cancelled, handed back. */
    @Bean
    @ConditionalOnMissingBean(name = "dqTracingListener")
    TaskEventListener dqTracingListener(dev.dq.opentelemetry.DqTracing tracing) {
      return tracing.listener();
    }

    @Bean
    @ConditionalOnMissingBean(name = "dqTracingHandlers")
    HandlerDecorator dqTracingHandlers(dev.dq.opentelemetry.DqTracing tracing) {
      return tracing::handler;
    }
  }
}
