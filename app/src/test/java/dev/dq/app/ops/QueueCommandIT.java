package dev.dq.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.adapter.redis.TestRedis;
import dev.dq.app.Cli;
import dev.dq.app.metrics.StateGauges;
import dev.dq.core.ops.BoundedLabels;
import dev.dq.core.port.QueuePause;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code dq queue pause|resume|list}, {@code dq stats} and {@code dq_queue_paused} on Redis. */
final class QueueCommandIT {
  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  private final ObjectMapper json = new ObjectMapper();
  private RedisBroker broker;

  @BeforeEach
  void connect() {
    broker = RedisBroker.connect(RedisBrokerConfig.builder(redis.url()).build());
  }

  @AfterEach
  void close() {
    broker.close();
  }

  private Map<String, String> env() {
    return Map.of("DQ_BROKER", "redis", "DQ_REDIS_URL", redis.url());
  }

  private Cli run(String... args) {
    Cli cli = new Cli();
    int code = cli.execute(env(), "", args);
    assertThat(code).as("stderr: %s", cli.err()).isZero();
    return cli;
  }

  @Test
  void pause_list_resume_roundTrip() throws Exception {
    Cli paused = run("queue", "pause", "emails", "--for", "30m", "--reason", "smtp down");
    assertThat(paused.out())
        .startsWith("queue emails paused by ")
        .contains(" until ", ": smtp down");

    Optional<QueuePause> p = broker.pauseOf("emails");
    assertThat(p).isPresent();
    assertThat(p.get().by()).contains("@");
    assertThat(p.get().reason()).isEqualTo("smtp down");
    assertThat(p.get().until()).contains(p.get().at().plus(Duration.ofMinutes(30)));

    JsonNode list = json.readTree(run("queue", "list", "--json").out());
    JsonNode emails = null;
    for (JsonNode q : list.path("queues")) {
      if (q.path("queue").asText().equals("emails")) {
        emails = q;
      }
    }
    assertThat(emails).isNotNull();
    assertThat(emails.path("paused").asBoolean()).isTrue();
    assertThat(emails.path("reason").asText()).isEqualTo("smtp down");
    assertThat(emails.path("since").asText()).isEqualTo(p.get().at().toString());
    assertThat(emails.path("until").asText()).isEqualTo(p.get().until().get().toString());
    assertThat(list.path("queues").findValuesAsText("queue")).contains("default");

    assertThat(run("queue", "list").out())
        .containsPattern("(?m)^emails +yes +\\S+@\\S+ +\\S+ +\\S+ +smtp down$")
        .containsPattern("(?m)^default +no *$");

    JsonNode stats = json.readTree(run("stats", "--json").out()).path("queues");
    for (JsonNode q : stats) {
      assertThat(q.path("paused").asBoolean()).isEqualTo(q.path("queue").asText().equals("emails"));
    }

    assertThat(run("queue", "resume", "emails").out()).isEqualTo("queue emails resumed\n");
    assertThat(broker.pauseOf("emails")).isEmpty();
    assertThat(run("queue", "resume", "emails").out()).isEqualTo("queue emails was not paused\n");
  }

  @Test
  void pause_withoutFor_lastsUntilResume() {
    assertThat(run("queue", "pause", "q1").out()).contains("until dq queue resume q1");
    assertThat(broker.pauseOf("q1").orElseThrow().until()).isEmpty();
  }

  @Test
  void metrics_queuePausedGauge() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    StateGauges.register(
        registry,
        broker,
        broker.deadLetterQueue(),
        List.of("default", "q2"),
        new BoundedLabels(Set.of("default", "q2"), 0),
        InstantSource.system());
    broker.pause("q2", "ops", "", Optional.empty());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    String text = out.toString(StandardCharsets.UTF_8);

    assertThat(text)
        .contains("dq_queue_paused{queue=\"q2\"} 1.0", "dq_queue_paused{queue=\"default\"} 0.0");
  }
}
