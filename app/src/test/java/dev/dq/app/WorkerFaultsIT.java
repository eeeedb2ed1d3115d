package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code dq run} on real Redis when its own process misbehaves: frozen past its lease, stopped past
 * its grace.
 */
final class WorkerFaultsIT extends WithRedis {
  private final HttpClient http = HttpClient.newHttpClient();

  private void publish(String id, String sleep) throws InterruptedException {
    broker.enqueue(
        Task.builder("sleep").id(id).payload(sleep).createdAt(Instant.now()).build(),
        Duration.ofSeconds(5));
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
  }

  private String metrics(int port) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
              .timeout(Duration.ofSeconds(30))
              .build();
      return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      return "";
    }
  }

  /** Kills the test's Redis, starts {@code dq run}, and waits until it says it waits for Redis. */
  private Dq.Running startWhileRedisIsDown() throws Exception {
    broker.close();
    redis.kill9();
    Dq.Running run = Dq.Running.start(env("DQ_METRICS_PORT", "0", "DQ_WORKERS", "1"), "run");
    try {
      await()
          .atMost(Dq.PATIENCE)
          .until(
              () ->
                  !run.alive()
                      || run.hasErrLine(
                          l -> l.contains("broker unavailable at start-up, waiting")));
      return run;
    } catch (RuntimeException | Error e) {
      run.close();
      throw e;
    }
  }

  /** Starts the test's Redis again (empty) and reconnects the test's broker to it. */
  private void restartRedis() {
    redis.restart();
    broker = RedisBroker.connect(RedisBrokerConfig.builder(redis.url()).build());
  }

  @Test
  void startedWhileRedisIsDown_waitsForIt_thenServes() throws Exception {
    try (Dq.Running run = startWhileRedisIsDown()) {
      assertThat(run.alive()).as("still running; stderr:%n%s", run.errText()).isTrue();

      restartRedis();
      publish("after-restart", "1ms");

      await()
          .atMost(Dq.PATIENCE)
          .until(() -> run.hasErrLine(l -> l.contains("succeeded") && l.contains("after-restart")));
      assertThat(run.terminate()).as("stderr:%n%s", run.errText()).isZero();
    }
  }

  @Test
  void sigtermWhileWaitingForRedisAtStartUp_stopsAtOnce() throws Exception {
    try (Dq.Running run = startWhileRedisIsDown()) {
      long before = System.nanoTime();

      int code = run.terminate();

      assertThat(Duration.ofNanos(System.nanoTime() - before))
          .as("stopped before the start-up wait ran out; stderr:%n%s", run.errText())
          .isLessThan(Duration.ofSeconds(20));
      assertThat(code).as("a requested stop; stderr:%n%s", run.errText()).isZero();
    } finally {
      restartRedis();
    }
  }

  @Test
  void sigtermPastTheGrace_logsRunningHandlersAndPrefetchedTasksApart() throws Exception {
    for (int i = 0; i < 8; i++) {
      publish("s-" + i, "60s");
    }

    try (Dq.Running run =
        Dq.Running.start(
            env("DQ_METRICS_PORT", "0", "DQ_WORKERS", "2", "DQ_PREFETCH", "4", "DQ_GRACE", "1s"),
            "run")) {
      await()
          .atMost(Dq.PATIENCE)
          .until(() -> run.err.stream().filter(l -> l.contains("started after")).count() == 2);

      assertThat(run.terminate()).as("stderr:%n%s", run.errText()).isZero();

      assertThat(run.errText())
          .contains("handing back 6 prefetched tasks", "interrupting 2 running handlers")
          .doesNotContain("interrupting 8");
      assertThat(broker.stats("default")).isEqualTo(new QueueStats("default", 8, 0, 0));
    }
  }

  @Test
  void workerFrozenPastItsLease_warnsWithTheTaskIdAndCountsTheExpiredLease() throws Exception {
    publish("long-1", "15s");
    int port = Dq.freePort();

    try (Dq.Running run =
        Dq.Running.start(
            env("DQ_METRICS_PORT", "" + port, "DQ_WORKERS", "1", "DQ_GRACE", "1s"), "run")) {
      await()
          .atMost(Dq.PATIENCE)
          .until(() -> run.hasErrLine(l -> l.contains("started after") && l.contains("long-1")));

      signal(
          "STOP",
          run.pid()); // as a long GC pause or a starved connection pool would: no renewal gets
      // through
      try {
        await()
            .atMost(Dq.PATIENCE)
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    broker.reclaimExpiredLeases()
                        == 1); // the lease (8 s) expired; another worker may take it
      } finally {
        signal("CONT", run.pid());
      }

      await()
          .atMost(Dq.PATIENCE)
          .until(
              () ->
                  run.hasErrLine(
                      l ->
                          l.contains(
                              "lease of task long-1 expired before it could be renewed; it may run again elsewhere")));
      await()
          .atMost(Dq.PATIENCE)
          .until(
              () ->
                  metrics(port)
                      .contains(
                          "dq_tasks_lease_expired_total{queue=\"default\",type=\"sleep\"} 1.0"));
      assertThat(run.terminate()).as("stderr:%n%s", run.errText()).isZero();
    }
  }
}
