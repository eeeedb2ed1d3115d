package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Entries written straight into Redis that are not valid tasks, met by {@code dq run}: each goes to
 * the dead-letter queue alone, and the tasks claimed with it run.
 */
final class PoisonTaskIT extends WithRedis {
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  private String metrics(int port) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (Exception e) {
      return ""; // not listening yet
    }
  }

  @Test
  void run_undecodableTaskData_deadLettersItWithTheReason_andItsBatchNeighboursRun()
      throws Exception {
    String value =
        "{\"v\":99,\"id\":\"x\",\"queue\":\"wt\",\"type\":\"echo\",\"payload_b64\":\"aGVsbG8=\","
            + "\"headers\":{},\"created_at_ms\":1767225600000,\"attempt\":1}";
    redis.admin().hset("dq:{wt}:tasks", "x", value);
    redis.admin().rpush("dq:{wt}:ready", "x");
    Dq.Result published =
        Dq.run(env(), "publish", "--queue", "wt", "--type", "echo", "--count", "3");
    assertThat(published.code()).as("stderr: %s", published.err()).isZero();
    int port = Dq.freePort();

    try (Dq.Running run =
        Dq.Running.start(
            env("DQ_METRICS_PORT", "" + port), "run", "--queue", "wt", "--prefetch", "4")) {
      await()
          .atMost(Dq.PATIENCE)
          .until(
              () ->
                  metrics(port)
                      .contains("dq_tasks_succeeded_total{queue=\"wt\",type=\"echo\"} 3.0"));
      await().atMost(Dq.PATIENCE).until(() -> broker.deadLetterQueue().size("wt") == 1);
      assertThat(run.terminate()).as("stderr:%n%s", run.errText()).isZero();
      assertThat(run.errText())
          .contains("unknown format version 99")
          .doesNotContain("dequeue failed");
    }

    Dq.Result list = Dq.run(env(), "dlq", "list", "--queue", "wt", "--json");
    assertThat(list.code()).as("stderr: %s", list.err()).isZero();
    JsonNode entry = json.readTree(list.out()).path("entries").get(0);
    assertThat(entry.path("id").asText()).isEqualTo("x");
    assertThat(entry.path("error_type").asText()).isEqualTo("dq.undecodable");
    assertThat(entry.path("message").asText()).contains("unknown format version 99");
    Dq.Result show = Dq.run(env(), "dlq", "show", "x", "--queue", "wt", "--json");
    assertThat(show.code()).as("stderr: %s", show.err()).isZero();
    assertThat(json.readTree(show.out()).path("payload").asText())
        .as("the raw value, kept")
        .isEqualTo(value);
    assertThat(broker.stats("wt"))
        .extracting(s -> s.ready() + s.inFlight() + s.delayed())
        .isEqualTo(0L);
  }
}
