package dev.dq.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.adapter.redis.TestRedis;
import dev.dq.core.client.DqClient;
import dev.dq.core.client.TaskRef;
import dev.dq.core.client.TypedHandler;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskState;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Real Spring Boot applications on a real Redis: a producer-only service and worker services, each
 * with its own broker client, as separate deployments would be.
 */
final class SpringBootRedisIT {
  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  record Order(String id, int cents) {}

  static final AtomicInteger slowRuns = new AtomicInteger();
  static volatile CountDownLatch slowStarted = new CountDownLatch(1);

  /** A service with two handler beans. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class Service {
    @Bean
    TypedHandler<Order, String> charge() {
      return TypedHandler.of(
          "charge",
          Order.class,
          (order, task) -> "charged " + order.cents() + " for " + order.id());
    }

    /** Blocks on its first run until interrupted; later runs finish at once. */
    @Bean
    TypedHandler<String, String> slow() {
      return TypedHandler.of(
          "slow",
          String.class,
          (text, task) -> {
            if (slowRuns.incrementAndGet() == 1) {
              slowStarted.countDown();
              Thread.sleep(60_000);
            }
            return "done " + text;
          });
    }
  }

  private ConfigurableApplicationContext start(String... extra) {
    return new SpringApplicationBuilder(Service.class)
        .properties(
            "dq.broker=redis",
            "dq.redis.url=" + redis.url(),
            "dq.worker.shutdown-grace=300ms",
            "spring.main.banner-mode=off")
        .properties(extra)
        .run();
  }

  @Test
  void publishedByAProducerService_handledByAWorkerService_resultSeenByTheProducer()
      throws Exception {
    try (ConfigurableApplicationContext producer = start("dq.worker.enabled=false");
        ConfigurableApplicationContext worker = start()) {
      assertThat(producer.getBeanNamesForType(DqWorkers.class)).isEmpty();
      assertThat(worker.getBean(DqWorkers.class).isRunning()).isTrue();
      DqClient client = producer.getBean(DqClient.class);

      TaskRef ref = client.enqueue("charge", new Order("o-17", 1250));

      assertThat(client.result(ref, Duration.ofSeconds(15), String.class))
          .contains("charged 1250 for o-17");
    }
  }

  @Test
  void shutdownReturnsTheUnfinishedTask_whichTheNextWorkerFinishes() throws Exception {
    slowRuns.set(0);
    slowStarted = new CountDownLatch(1);
    try (ConfigurableApplicationContext producer = start("dq.worker.enabled=false")) {
      DqClient client = producer.getBean(DqClient.class);
      TaskRef ref;
      try (ConfigurableApplicationContext worker = start()) {
        ref = client.enqueue("slow", "report");
        assertThat(slowStarted.await(15, TimeUnit.SECONDS)).isTrue();
        assertThat(client.find(ref).map(TaskInfo::state)).contains(TaskState.ACTIVE);
      }
      // Closed within its grace: the task is back in its queue, its attempt not spent.
      TaskInfo back = client.find(ref).orElseThrow();
      assertThat(back.state()).isEqualTo(TaskState.READY);
      assertThat(back.attempt()).isEqualTo(1);

      try (ConfigurableApplicationContext next = start()) {
        assertThat(client.result(ref, Duration.ofSeconds(15), String.class))
            .contains("done report");
      }
      assertThat(slowRuns).hasValue(2);
    }
  }

  @Test
  void healthFollowsRedis() {
    try (ConfigurableApplicationContext app = start("dq.worker.enabled=false")) {
      DqHealthIndicator health = app.getBean(DqHealthIndicator.class);
      assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);

      redis.kill9();
      try {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> health.health(true).getStatus().equals(Status.DOWN));
        assertThat(health.health(true).getDetails().toString())
            .doesNotContain(String.valueOf(redis.port()));
      } finally {
        redis.restart();
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> health.health(true).getStatus().equals(Status.UP));
    }
  }
}
