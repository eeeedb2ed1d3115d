package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code dq stats} against real Redis: once, as text and JSON, and with --watch until SIGTERM. */
final class StatsIT extends WithRedis {
  private final ObjectMapper json = new ObjectMapper();

  private void publish(String queue, int n) throws InterruptedException {
    for (int i = 0; i < n; i++) {
      broker.enqueue(
          Task.builder("echo").queue(queue).createdAt(Instant.now()).build(),
          Duration.ofSeconds(5));
    }
  }

  @Test
  void stats_json_countsEveryKnownQueue() throws Exception {
    publish("a", 2);
    publish("b", 1);
    broker.enqueueAt(
        Task.builder("echo").queue("b").createdAt(Instant.now()).build(),
        Instant.now().plus(Duration.ofHours(1)),
        Duration.ofSeconds(5));

    Dq.Result r = Dq.run(env(), "stats", "--json");

    assertThat(r.code()).as("stderr: %s", r.err()).isZero();
    JsonNode queues = json.readTree(r.out()).path("queues");
    assertThat(queues.findValuesAsText("queue")).contains("a", "b", "default");
    for (JsonNode q : queues) {
      if (q.path("queue").asText().equals("b")) {
        assertThat(q.path("ready").asLong()).isEqualTo(1);
        assertThat(q.path("delayed").asLong()).isEqualTo(1);
        assertThat(q.path("in_flight").asLong()).isZero();
        assertThat(q.path("dead").asLong()).isZero();
      }
    }
  }

  @Test
  void stats_text_namedQueue_isATable() throws Exception {
    publish("a", 2);

    Dq.Result r = Dq.run(env("DQ_QUEUES", "a"), "stats");

    assertThat(r.code()).isZero();
    assertThat(r.out().lines().toList()).hasSize(2);
    assertThat(r.out())
        .containsPattern("QUEUE +READY +IN_FLIGHT +DELAYED +DEAD +PAUSED")
        .containsPattern("(?m)^a +2 +0 +0 +0 +no$");
  }

  @Test
  void stats_watch_refreshesUntilSigterm_thenExits0() throws Exception {
    try (Dq.Running watch =
        Dq.Running.start(env(), "stats", "--watch", "--json", "--interval", "200ms")) {
      await().atMost(Dq.PATIENCE).until(() -> watch.out.size() >= 1);
      publish("default", 3);
      await()
          .atMost(Dq.PATIENCE)
          .until(() -> watch.out.stream().anyMatch(l -> l.contains("\"ready\":3")));

      assertThat(watch.terminate()).as("stderr:%n%s", watch.errText()).isZero();
      assertThat(watch.out).allSatisfy(l -> assertThat(json.readTree(l).has("queues")).isTrue());
    }
  }
}
