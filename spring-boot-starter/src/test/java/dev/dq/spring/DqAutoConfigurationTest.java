package dev.dq.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.client.DqClient;
import dev.dq.core.client.PayloadCodec;
import dev.dq.core.client.StringCodec;
import dev.dq.core.client.TaskRef;
import dev.dq.core.client.TypedHandler;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import dev.dq.core.worker.NamedTaskHandler;
import dev.dq.testing.ForwardingBroker;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

final class DqAutoConfigurationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(DqAutoConfiguration.class))
          .withPropertyValues("dq.worker.shutdown-grace=200ms");

  record Greeting(String name) {}

  @Configuration(proxyBeanMethods = false)
  static class Handlers {
    @Bean
    TypedHandler<Greeting, String> greet() {
      return TypedHandler.of("greet", Greeting.class, (g, task) -> "hello, " + g.name());
    }

    @Bean
    NamedTaskHandler upper() {
      return new NamedTaskHandler() {
        @Override
        public String type() {
          return "upper";
        }

        @Override
        public void handle(Task task) {
          UPPER_RAN.countDown();
        }
      };
    }
  }

  static final CountDownLatch UPPER_RAN = new CountDownLatch(1);

  @Test
  void memoryByDefault_handlerBeansServeTasksPublishedThroughTheClient() {
    runner
        .withUserConfiguration(Handlers.class)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx.getBean(Broker.class)).isInstanceOf(InMemoryBroker.class);
              assertThat(ctx).hasSingleBean(DeadLetterQueue.class).hasSingleBean(DqWorkers.class);
              assertThat(ctx.getBean(DqWorkers.class).isRunning()).isTrue();
              DqClient client = ctx.getBean(DqClient.class);

              TaskRef ref = client.enqueue("greet", new Greeting("spring"));
              assertThat(client.result(ref, WAIT, String.class)).contains("hello, spring");

              client.enqueue("upper", new Greeting("x"));
              assertThat(UPPER_RAN.await(10, TimeUnit.SECONDS)).isTrue();
            });
  }

  @Test
  void jsonCodecWhenJacksonIsPresent_stringCodecWithoutIt() {
    runner.run(
        ctx ->
            assertThat(ctx.getBean(PayloadCodec.class).getClass().getName())
                .isEqualTo("dev.dq.codec.jackson.JacksonCodec"));
    runner
        .withClassLoader(new FilteredClassLoader("dev.dq.codec.jackson"))
        .run(ctx -> assertThat(ctx.getBean(PayloadCodec.class)).isSameAs(StringCodec.INSTANCE));
  }

  @Test
  void workerDisabled_noPool_butTheClientPublishes() {
    runner
        .withUserConfiguration(Handlers.class)
        .withPropertyValues("dq.worker.enabled=false")
        .run(
            ctx -> {
              assertThat(ctx).doesNotHaveBean(DqWorkers.class);
              TaskRef ref = ctx.getBean(DqClient.class).enqueue("greet", new Greeting("later"));
              assertThat(ctx.getBean(Broker.class).stats("default").ready()).isEqualTo(1);
              assertThat(ctx.getBean(DqClient.class).find(ref).map(TaskInfo::state))
                  .contains(TaskState.READY);
            });
  }

  @Test
  void settingsReachThePool() {
    runner
        .withUserConfiguration(Handlers.class)
        .withPropertyValues(
            "dq.workers=7", "dq.queues=critical=5,default", "dq.max-attempts=9", "dq.prefetch=2")
        .run(
            ctx -> {
              DqWorkers workers = ctx.getBean(DqWorkers.class);
              assertThat(workers.workers()).isEqualTo(7);
              assertThat(workers.queues()).containsExactly("critical", "default");
              assertThat(workers.config().weights()).containsEntry("critical", 5);
              assertThat(workers.config().prefetch()).isEqualTo(2);
              assertThat(workers.config().retryPolicy().maxAttempts("greet")).isEqualTo(9);
            });
  }

  @Test
  void anApplicationsOwnBrokerWins() {
    try (InMemoryBroker own = InMemoryBroker.builder().build()) {
      runner
          .withBean(Broker.class, () -> own, d -> d.setDestroyMethodName(""))
          .run(
              ctx -> {
                assertThat(ctx.getBean(Broker.class)).isSameAs(own);
                assertThat(ctx.getBean(DeadLetterQueue.class)).isSameAs(own.deadLetterQueue());
              });
    }
  }

  @Test
  void shutdownHandsBackTheRunningTask_withoutSpendingAnAttempt() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    NamedTaskHandler slow =
        new NamedTaskHandler() {
          @Override
          public String type() {
            return "slow";
          }

          @Override
          public void handle(Task task) throws InterruptedException {
            started.countDown();
            Thread.sleep(60_000);
          }
        };
    try (InMemoryBroker broker = InMemoryBroker.builder().build()) {
      TaskRef[] ref = new TaskRef[1];
      runner
          .withBean(Broker.class, () -> broker, d -> d.setDestroyMethodName(""))
          .withBean("slow", NamedTaskHandler.class, () -> slow)
          .run(
              ctx -> {
                ref[0] = ctx.getBean(DqClient.class).enqueue("slow", "x");
                assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(broker.stats("default").inFlight()).isEqualTo(1);
              });
      // The context is closed: the pool stopped within its grace and gave the task back.
      assertThat(broker.stats("default").ready()).isEqualTo(1);
      assertThat(broker.stats("default").inFlight()).isZero();
      TaskInfo info = broker.find("default", ref[0].id()).orElseThrow();
      assertThat(info.state()).isEqualTo(TaskState.READY);
      assertThat(info.attempt()).isEqualTo(1);
    }
  }

  /** Its stats read fails while {@code down} is set, as with a broker that cannot be reached. */
  static final class Outage extends ForwardingBroker {
    volatile boolean down;

    Outage(Broker delegate) {
      super(delegate);
    }

    @Override
    public QueueStats stats(String queue) {
      if (down) {
        throw new BrokerUnavailableException("redis at 127.0.0.1:1 unreachable");
      }
      return super.stats(queue);
    }
  }

  @Test
  void healthIsUpWithCounts_andDownWithOnlyTheErrorTypeWhenTheBrokerFails() {
    try (InMemoryBroker memory = InMemoryBroker.builder().build()) {
      Outage broker = new Outage(memory);
      runner
          .withUserConfiguration(Handlers.class)
          .withBean(Broker.class, () -> broker, d -> d.setDestroyMethodName(""))
          .withBean(DeadLetterQueue.class, memory::deadLetterQueue)
          .withPropertyValues("dq.worker.enabled=false")
          .run(
              ctx -> {
                ctx.getBean(DqClient.class).enqueue("greet", new Greeting("a"));
                DqHealthIndicator indicator = ctx.getBean(DqHealthIndicator.class);
                Health up = indicator.health(true);
                assertThat(up.getStatus()).isEqualTo(Status.UP);
                assertThat(up.getDetails().get("queues"))
                    .isEqualTo(
                        Map.of("default", Map.of("ready", 1L, "in_flight", 0L, "delayed", 0L)));

                broker.down = true;
                Health down = indicator.health(true);
                assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                assertThat(down.getDetails())
                    .isEqualTo(Map.of("error", "BrokerUnavailableException"));
              });
    }
  }

  @Test
  void badSettingsFailStartUp_namingThePropertyAndTheValue() {
    assertStartFails("dq.workers=-7", "dq.workers", "-7");
    assertStartFails("dq.broker=mongo", "dq.broker", "mongo");
    assertStartFails("dq.queues=critical=many", "dq.queues", "critical=many");
    assertStartFails("dq.queues=bad queue", "dq.queues", "bad queue");
    assertStartFails("dq.lease-time=-3s", "dq.lease-time", "PT-3S");
    assertStartFails("dq.backoff-base=5s", "dq.backoff-max", "PT1S");
  }

  @Test
  void aBadRedisUrlNamesTheSetting_butNeverThePassword() {
    for (String url :
        List.of(
            "redis://u:s3cret@127.0.0.1:notaport",
            "redis://:s3c/ret@127.0.0.1:6379",
            "redis://u:s3c@ret@127.0.0.1:x",
            "redis://:s3cret@")) {
      runner
          .withPropertyValues("dq.broker=redis", "dq.redis.url=" + url)
          .run(
              ctx -> {
                assertThat(ctx).as(url).hasFailed();
                String all = messages(ctx.getStartupFailure());
                assertThat(all)
                    .as(url)
                    .contains("dq.redis.url")
                    .doesNotContain("s3c")
                    .doesNotContain("ret@");
              });
    }
  }

  @Test
  void twoBeansForOneTaskType_failStartUpNamingBoth() {
    runner
        .withUserConfiguration(Handlers.class)
        .withBean(
            "greetAgain",
            TypedHandler.class,
            () -> TypedHandler.of("greet", Greeting.class, (g, task) -> "again"))
        .run(
            ctx -> {
              assertThat(ctx).hasFailed();
              assertThat(messages(ctx.getStartupFailure()))
                  .contains("'greet'", "'greetAgain'", "task type 'greet'");
            });
  }

  @Test
  void configurationMetadataDescribesEverySetting() throws Exception {
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("metadata generated by the configuration processor").isNotNull();
      String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(json)
          .contains(
              "\"dq.broker\"",
              "\"dq.redis.url\"",
              "\"dq.workers\"",
              "\"dq.queues\"",
              "\"dq.prefetch\"",
              "\"dq.max-attempts\"",
              "\"dq.task-timeout\"",
              "\"dq.worker.enabled\"",
              "\"dq.worker.shutdown-grace\"")
          .contains("Handlers that may run at once in this process.");
    }
  }

  private void assertStartFails(String setting, String property, String value) {
    runner
        .withUserConfiguration(Handlers.class)
        .withPropertyValues(setting)
        .run(
            ctx -> {
              assertThat(ctx).as(setting).hasFailed();
              assertThat(messages(ctx.getStartupFailure()))
                  .as(setting)
                  .contains(property)
                  .contains(value);
            });
  }

  private static String messages(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.append(c.getMessage()).append('\n');
    }
    return all.toString();
  }
}
