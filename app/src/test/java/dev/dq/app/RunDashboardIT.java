package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code dq run --dashboard-port}: the worker process serves the dashboard on its own broker
 * connection, shows itself among the workers, acts through the API and stops serving when it stops;
 * a non-loopback bind without a token is refused like {@code dq dashboard}'s.
 */
final class RunDashboardIT extends WithRedis {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void runServesTheDashboard_showingItselfAmongTheWorkers_untilItStops() throws Exception {
    int port = Dq.freePort();
    String base = "http://127.0.0.1:" + port;
    try (Dq.Running run =
        Dq.Running.start(
            env("DQ_METRICS_PORT", "0", "DQ_RUN_DASHBOARD_PORT", Integer.toString(port)),
            "run",
            "--queue",
            "served",
            "--workers",
            "2")) {
      await()
          .atMost(Dq.PATIENCE)
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                HttpResponse<String> r =
                    send(HttpRequest.newBuilder(URI.create(base + "/api/workers")));
                assertThat(r.statusCode()).as("stderr:%n%s", run.errText()).isEqualTo(200);
                List<Long> pids = new ArrayList<>();
                JSON.readTree(r.body())
                    .get("workers")
                    .forEach(w -> pids.add(w.get("pid").asLong()));
                assertThat(pids).contains(run.pid());
              });
      JsonNode self = null;
      for (JsonNode w :
          JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/api/workers"))).body())
              .get("workers")) {
        if (w.get("pid").asLong() == run.pid()) {
          self = w;
        }
      }
      assertThat(self).isNotNull();
      assertThat(self.get("queues").toString()).contains("served");
      assertThat(self.get("slots_total").asInt()).isEqualTo(2);

      HttpResponse<String> paused =
          send(
              HttpRequest.newBuilder(URI.create(base + "/api/queues/served/pause"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"reason\": \"from the IT\"}")));
      assertThat(paused.statusCode()).isEqualTo(200);
      assertThat(JSON.readTree(paused.body()).get("result").asText())
          .isEqualTo("queue served paused");
      assertThat(broker.pauseOf("served").orElseThrow().reason()).isEqualTo("from the IT");
      assertThat(run.errText()).contains("action=pause queue=served");

      assertThat(run.terminate()).as("stderr:%n%s", run.errText()).isZero();
      boolean refused = false;
      try {
        send(HttpRequest.newBuilder(URI.create(base + "/api/workers")));
      } catch (ConnectException e) {
        refused = true;
      }
      assertThat(refused).as("the dashboard stopped with the worker").isTrue();
    }
  }

  @Test
  void aNonLoopbackBindWithoutToken_isRefused_withExit2AndOneLine() throws Exception {
    Dq.Result r =
        Dq.run(
            env("DQ_METRICS_PORT", "0"),
            "run",
            "--dashboard-port",
            "0",
            "--dashboard-bind",
            "0.0.0.0");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err())
        .contains("--dashboard-bind: 0.0.0.0 is not a loopback address")
        .contains("--dashboard-read-only");
  }
}
