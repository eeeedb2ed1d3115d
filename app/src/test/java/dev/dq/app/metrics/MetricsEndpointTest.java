package dev.dq.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.ops.BoundedLabels;
import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.task.Task;
import dev.dq.core.worker.Producer;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Scrapes a real metrics server over HTTP while a pool works, and validates the exposition. */
final class MetricsEndpointTest {
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private final HttpClient http = HttpClient.newHttpClient();
  private final InstantSource clock = InstantSource.system();

  private HttpResponse<String> get(MetricsServer server, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metrics_afterWork_exposeEveryFamilyWithBoundedLabels_andPassPromtool() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    TaskMetrics metrics =
        new TaskMetrics(
            registry,
            new BoundedLabels(Set.of("default"), 0),
            new BoundedLabels(Set.of("ok", "bad"), 0),
            clock);
    try (InMemoryBroker broker = InMemoryBroker.builder().clock(clock).build()) {
      WorkerPool pool =
          WorkerPool.builder(broker)
              .config(WorkerPoolConfig.builder().workers(2).build())
              .handler("ok", task -> {})
              .handler(
                  "bad",
                  task -> {
                    throw new dev.dq.core.worker.NonRetryableException("no");
                  })
              .listener(metrics)
              .clock(clock)
              .build();
      StateGauges.register(
          registry,
          broker,
          broker.deadLetterQueue(),
          List.of("default"),
          new BoundedLabels(Set.of("default"), 0),
          clock);
      StateGauges.registerPool(registry, pool, 2);
      pool.start();
      Producer producer = new Producer(broker, metrics);
      for (String type : List.of("ok", "ok", "bad", "mystery")) {
        producer.publish(
            Task.builder(type).payload("secret-payload").createdAt(clock.instant()).build(),
            Duration.ofSeconds(5));
      }
      try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, registry, Optional::empty)) {
        await().atMost(PATIENCE).until(() -> broker.deadLetterQueue().size("default") == 2);
        await()
            .atMost(PATIENCE)
            .until(() -> get(server, "/metrics").body().contains("dq_tasks_succeeded_total"));

        HttpResponse<String> response = get(server, "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        String text = response.body();
        Promtool.check(text);
        for (String family :
            List.of(
                "dq_tasks_enqueued_total",
                "dq_tasks_started_total",
                "dq_tasks_succeeded_total",
                "dq_tasks_dead_lettered_total",
                "dq_task_handler_duration_seconds_bucket",
                "dq_task_queue_wait_seconds_bucket",
                "dq_task_latency_seconds_bucket")) {
          assertThat(text)
              .as(family)
              .containsPattern("(?m)^" + family + "\\{[^}]*queue=\"default\"[^}]*type=\"");
        }
        assertThat(Scrape.value(text, "dq_tasks_succeeded_total", "queue=\"default\",type=\"ok\""))
            .isEqualTo(2);
        assertThat(
                Scrape.value(
                    text, "dq_tasks_dead_lettered_total", "queue=\"default\",type=\"other\""))
            .as("the unregistered type is folded")
            .isEqualTo(1);
        assertThat(Scrape.value(text, "dq_queue_dead", "queue=\"default\"")).isEqualTo(2);
        assertThat(Scrape.value(text, "dq_queue_ready", "queue=\"default\"")).isZero();
        assertThat(Scrape.value(text, "dq_broker_up", "")).isEqualTo(1);
        assertThat(
                Scrape.value(text, "dq_workers_idle", "")
                    + Scrape.value(text, "dq_workers_busy", ""))
            .isEqualTo(2);
        assertThat(text)
            .contains("dq_queue_in_flight{", "dq_queue_delayed{", "dq_workers_abandoned ")
            .doesNotContain("secret-payload", "mystery");
        assertThat(get(server, "/health").statusCode()).isEqualTo(200);
        assertThat(get(server, "/nothing-here").statusCode()).isEqualTo(404);
      } finally {
        pool.stop(Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void unreachableBroker_healthIs503_andBrokerUpIs0() throws Exception {
    Broker down =
        (Broker)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Broker.class},
                (p, m, a) -> {
                  if (m.getName().equals("close")) {
                    return null;
                  }
                  throw new BrokerUnavailableException("connection refused");
                });
    PrometheusRegistry registry = new PrometheusRegistry();
    InMemoryBroker dlqOwner = InMemoryBroker.builder().clock(clock).build();
    StateGauges gauges =
        StateGauges.register(
            registry,
            down,
            dlqOwner.deadLetterQueue(),
            List.of("default"),
            new BoundedLabels(Set.of("default"), 0),
            clock);

    WorkerPool pool = WorkerPool.builder(down).build(); // never started
    try (MetricsServer server =
        MetricsServer.start("127.0.0.1", 0, registry, StateGauges.health(gauges, pool))) {
      HttpResponse<String> health = get(server, "/health");
      assertThat(health.statusCode()).isEqualTo(503);
      assertThat(health.body()).isEqualTo("unavailable: broker unreachable\n");
      String text = get(server, "/metrics").body();
      assertThat(Scrape.value(text, "dq_broker_up", "")).isZero();
      assertThat(text).doesNotContain("dq_queue_ready{");
      Promtool.check(text);
    } finally {
      dlqOwner.close();
    }
  }

  @Test
  void leaseRenewalsFailing_healthIs503_andTheFailuresAreCounted() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (InMemoryBroker real = InMemoryBroker.builder().clock(clock).build()) {
      Broker renewalsFail =
          (Broker)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {Broker.class},
                  (p, m, a) -> {
                    if (m.getName().startsWith("extend")) {
                      throw new BrokerUnavailableException("injected: renewal cannot get through");
                    }
                    try {
                      return m.invoke(real, a);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
      var started = new CountDownLatch(1);
      var finish = new CountDownLatch(1);
      WorkerPool pool =
          WorkerPool.builder(renewalsFail)
              .config(
                  WorkerPoolConfig.builder().workers(1).leaseTime(Duration.ofSeconds(3)).build())
              .handler(
                  "slow",
                  task -> {
                    started.countDown();
                    finish.await();
                  })
              .clock(clock)
              .build();
      StateGauges gauges =
          StateGauges.register(
              registry,
              real,
              real.deadLetterQueue(),
              List.of("default"),
              new BoundedLabels(Set.of("default"), 0),
              clock);
      StateGauges.registerPool(registry, pool, 1);
      pool.start();
      try (MetricsServer server =
          MetricsServer.start("127.0.0.1", 0, registry, StateGauges.health(gauges, pool))) {
        real.enqueue(Task.builder("slow").createdAt(clock.instant()).build(), Duration.ZERO);
        assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();

        HttpResponse<String> health =
            await()
                .atMost(PATIENCE)
                .until(() -> get(server, "/health"), r -> r.statusCode() == 503);
        assertThat(health.body())
            .isEqualTo("unavailable: lease renewals failing; held tasks may run again elsewhere\n");
        String text =
            get(server, "/metrics").body(); // within a lease time of the failure: still failing
        Promtool.check(text);
        assertThat(Scrape.value(text, "dq_lease_renewal_failures_total", ""))
            .isGreaterThanOrEqualTo(1);
        assertThat(Scrape.value(text, "dq_lease_renewals_failing", "")).isEqualTo(1);
        assertThat(Scrape.value(text, "dq_reaper_failures_total", "")).isZero();
      } finally {
        finish.countDown();
        pool.stop(Duration.ofSeconds(5));
      }
    }
  }
}
