package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.app.metrics.Promtool;
import dev.dq.core.task.Task;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code dq run} as a worker process on real Redis: processing, /metrics, /health, JSON logs,
 * SIGTERM.
 */
final class RunIT extends WithRedis {
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String metrics(int port) {
    try {
      return get(port, "/metrics").body();
    } catch (Exception e) {
      return ""; // not listening yet
    }
  }

  private void publish(String type, String id, String payload) throws InterruptedException {
    broker.enqueue(
        Task.builder(type).id(id).payload(payload).createdAt(Instant.now()).build(),
        Duration.ofSeconds(5));
  }

  @Test
  void run_processesTasks_servesValidMetricsAndHealth_logsJson_andExits0OnSigterm()
      throws Exception {
    publish("echo", "e-1", "hello");
    publish("echo", "e-2", "world");
    publish("fail", "f-1", "on purpose");
    publish("mystery", "m-1", "nobody serves this type");
    int port = Dq.freePort();

    try (Dq.Running run =
        Dq.Running.start(
            env("DQ_LOG_FORMAT", "json", "DQ_METRICS_PORT", "" + port, "DQ_WORKERS", "2"), "run")) {
      await()
          .atMost(Dq.PATIENCE)
          .until(() -> metrics(port).contains("dq_queue_dead{queue=\"default\"} 2.0"));
      await()
          .atMost(Dq.PATIENCE)
          .until(
              () ->
                  metrics(port)
                      .contains("dq_tasks_succeeded_total{queue=\"default\",type=\"echo\"} 2.0"));

      String text = metrics(port);
      Promtool.check(text);
      assertThat(text)
          .contains("dq_tasks_started_total{queue=\"default\",type=\"fail\"} 1.0")
          .contains("dq_tasks_dead_lettered_total{queue=\"default\",type=\"fail\"} 1.0")
          .contains("dq_tasks_dead_lettered_total{queue=\"default\",type=\"mystery\"} 1.0")
          .contains(
              "dq_task_handler_duration_seconds_bucket{queue=\"default\",type=\"echo\",le=\"+Inf\"} 2")
          .contains("dq_task_queue_wait_seconds_count{queue=\"default\",type=\"echo\"} 2")
          .contains(
              "dq_task_latency_seconds_count{outcome=\"succeeded\",queue=\"default\",type=\"echo\"} 2")
          .contains(
              "dq_queue_ready{queue=\"default\"} 0.0", "dq_queue_in_flight{", "dq_queue_delayed{")
          .contains(
              "dq_workers_busy ", "dq_workers_idle ", "dq_broker_up 1.0", "jvm_memory_used_bytes")
          .doesNotContain("e-1", "hello", "redis://");
      assertThat(get(port, "/health").statusCode()).isEqualTo(200);

      assertThat(run.terminate())
          .as("exit code after SIGTERM; stderr:%n%s", run.errText())
          .isZero();

      List<JsonNode> lines = new ArrayList<>();
      for (String line : run.err) {
        lines.add(json.readTree(line));
      }
      assertThat(lines)
          .allSatisfy(n -> assertThat(Instant.parse(n.path("timestamp").asText())).isNotNull());
      JsonNode success =
          lines.stream()
              .filter(
                  n ->
                      n.path("message").asText().equals("succeeded")
                          && n.path("task_id").asText().equals("e-1"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no success line in\n" + run.errText()));
      assertThat(success.path("task_type").asText()).isEqualTo("echo");
      assertThat(success.path("queue").asText()).isEqualTo("default");
      assertThat(success.path("attempt").asInt()).isEqualTo(1);
      assertThat(success.path("worker").asText()).startsWith("dq-worker");
      assertThat(success.path("duration_ms").isIntegralNumber()).isTrue();
      assertThat(lines).anyMatch(n -> n.path("message").asText().equals("echo: hello"));
    }
  }

  @Test
  void sigtermWhileAHandlerRuns_letsItFinishWithinGrace_andExits0() throws Exception {
    publish("sleep", "s-1", "1500ms");

    try (Dq.Running run = Dq.Running.start(env("DQ_METRICS_PORT", "0", "DQ_GRACE", "60s"), "run")) {
      // Started, not just leased: a leased task whose handler has not begun is handed back at once
      // on SIGTERM.
      await()
          .atMost(Dq.PATIENCE)
          .until(() -> run.hasErrLine(l -> l.contains("started after") && l.contains("s-1")));

      assertThat(run.terminate()).as("stderr:%n%s", run.errText()).isZero();

      assertThat(run.errText()).contains("stop requested", "succeeded", "worker pool stopped");
      assertThat(broker.stats("default"))
          .extracting(s -> s.ready() + s.inFlight() + s.delayed())
          .isEqualTo(0L);
      assertThat(broker.deadLetterQueue().size("default")).isZero();
    }
  }

  @Test
  void metricsPortTaken_exits1WithOneLine() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Dq.Result r = Dq.run(env("DQ_METRICS_PORT", "" + taken.getLocalPort()), "run");

      assertThat(r.code()).as("stderr: %s", r.err()).isEqualTo(1);
      assertThat(r.err().lines().filter(l -> l.startsWith("dq: ")))
          .singleElement()
          .asString()
          .startsWith("dq: cannot serve metrics on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void demo_onRedis_twiceInARow_processesEveryTaskEachTime() throws Exception {
    for (int run = 1; run <= 2; run++) {
      Dq.Result r = Dq.run(env("WORKERS", "3", "TASKS", "10"), "demo", "--seed", "5");

      assertThat(r.code()).as("run %d; stderr: %s", run, r.err()).isZero();
      assertThat(r.out()).contains("published      10 of 10").doesNotContain("unfinished");
    }
  }
}
