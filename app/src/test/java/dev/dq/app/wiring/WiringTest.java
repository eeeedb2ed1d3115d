package dev.dq.app.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Injector;
import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.adapter.redis.RedisBroker;
import dev.dq.app.config.AppSettings;
import dev.dq.app.config.BadSettingException;
import dev.dq.app.config.WorkerSettings;
import dev.dq.app.demo.DemoStats;
import dev.dq.app.logging.LogFormat;
import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.worker.Producer;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class WiringTest {
  private static final WorkerSettings SETTINGS = new WorkerSettings(4, 5, Duration.ofSeconds(1));

  private static Injector injector() {
    return Wiring.createInjector(
        new AppSettings("memory", LogFormat.TEXT), new CoreModule(SETTINGS), new DemoModule(1));
  }

  @Test
  void memory_bindsOneInMemoryBrokerAsBrokerAndDeadLetterQueue() {
    Injector injector = injector();

    Broker broker = injector.getInstance(Broker.class);
    assertThat(broker)
        .isInstanceOf(InMemoryBroker.class)
        .isSameAs(injector.getInstance(InMemoryBroker.class));
    assertThat(injector.getInstance(DeadLetterQueue.class))
        .isSameAs(((InMemoryBroker) broker).deadLetterQueue());
    broker.close();
  }

  @Test
  void redis_bindsOneRedisBrokerAsBrokerAndDeadLetterQueue_withoutConnecting() {
    Injector injector =
        Wiring.createInjector(
            new AppSettings("redis", LogFormat.TEXT, "redis://127.0.0.1:1"),
            new CoreModule(SETTINGS));

    Broker broker = injector.getInstance(Broker.class);
    assertThat(broker)
        .isInstanceOf(RedisBroker.class)
        .isSameAs(injector.getInstance(RedisBroker.class));
    assertThat(injector.getInstance(DeadLetterQueue.class))
        .isSameAs(((RedisBroker) broker).deadLetterQueue());
    broker.close();
  }

  @Test
  void coreModule_configuresThePoolFromSettings() {
    WorkerPoolConfig config = injector().getInstance(WorkerPoolConfig.class);

    assertThat(config.workers()).isEqualTo(4);
    assertThat(config.retryPolicy().maxAttempts("email")).isEqualTo(5);
    assertThat(config.leaseTime()).isEqualTo(WorkerSettings.DEFAULT_LEASE_TIME);
  }

  @Test
  void coreModule_givesThePoolTheLeaseTimeOfTheSettings() {
    WorkerSettings settings =
        new WorkerSettings(
            4,
            5,
            Duration.ofSeconds(1),
            List.of("q"),
            Map.of(),
            Map.of(),
            1,
            Duration.ofSeconds(3));
    WorkerPoolConfig config =
        Wiring.createInjector(new AppSettings("memory", LogFormat.TEXT), new CoreModule(settings))
            .getInstance(WorkerPoolConfig.class);

    assertThat(config.leaseTime()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void coreModule_givesThePoolTheQueueWeightsAndStrictOrderOfTheSettings() {
    WorkerPoolConfig weighted = config(List.of("hi", "lo"), Map.of("hi", 6), false);
    WorkerPoolConfig strict = config(List.of("hi", "lo"), Map.of(), true);

    assertThat(weighted.queues()).containsExactly("hi", "lo");
    assertThat(weighted.weightOf("hi")).isEqualTo(6);
    assertThat(weighted.weightOf("lo")).isEqualTo(1);
    assertThat(weighted.strict()).isFalse();
    assertThat(strict.strict()).isTrue();
  }

  private static WorkerPoolConfig config(
      List<String> queues, Map<String, Integer> weights, boolean strict) {
    WorkerSettings settings =
        new WorkerSettings(
            4,
            5,
            Duration.ofSeconds(1),
            queues,
            Map.of(),
            Map.of(),
            1,
            Duration.ofSeconds(3),
            weights,
            strict);
    return Wiring.createInjector(
            new AppSettings("memory", LogFormat.TEXT), new CoreModule(settings))
        .getInstance(WorkerPoolConfig.class);
  }

  @Test
  void services_areSingletons() {
    Injector injector = injector();

    assertThat(injector.getInstance(WorkerPool.class))
        .isSameAs(injector.getInstance(WorkerPool.class));
    assertThat(injector.getInstance(Producer.class)).isSameAs(injector.getInstance(Producer.class));
    assertThat(injector.getInstance(DemoStats.class))
        .isSameAs(injector.getInstance(DemoStats.class));
  }

  @Test
  void createInjector_startsNoThread() {
    long before =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("dq-"))
            .count();

    injector().getInstance(WorkerPool.class);

    long after =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("dq-"))
            .count();
    assertThat(after).isEqualTo(before);
  }

  @Test
  void everyBrokerName_hasAModule() {
    BrokerRegistry registry = BrokerRegistry.INSTANCE;
    assertThat(registry.names()).containsOnly("memory", "redis");
    registry
        .names()
        .forEach(
            name -> assertThat(registry.module(new AppSettings(name, LogFormat.TEXT))).isNotNull());
  }

  @Test
  void session_durableEnqueueOnCluster_failsAsABadSettingNotAGuiceError() {
    AppSettings app =
        new AppSettings(
            "redis", LogFormat.TEXT, "redis-cluster://127.0.0.1:1", 10, 1, Duration.ofMillis(100));

    assertThatThrownBy(() -> new Wiring().session(app))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining("not supported with redis cluster");
  }

  @Test
  void session_unreachableCluster_failsAsBrokerUnavailable() {
    AppSettings app = new AppSettings("redis", LogFormat.TEXT, "redis-cluster://127.0.0.1:1");

    assertThatThrownBy(() -> new Wiring().session(app))
        .isInstanceOf(BrokerUnavailableException.class);
  }
}
