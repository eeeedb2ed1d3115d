package dev.dq.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.adapter.redis.TestRedis;
import dev.dq.app.Cli;
import dev.dq.core.ops.RunningTask;
import dev.dq.core.ops.ThroughputCounts;
import dev.dq.core.ops.WorkerStatus;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code dq task list}, {@code dq workers} and {@code dq throughput} on Redis. */
final class OpsDataCommandsIT {
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

  private Cli dq(int expectedCode, String... args) {
    return Cli.onRedis(redis.url(), expectedCode, args);
  }

  @Test
  void taskList_pagesTheReadyTasks_highestPriorityFirst() throws Exception {
    for (int i = 0; i < 5; i++) {
      broker.enqueue(
          Task.builder("work")
              .id("t" + i)
              .queue("jobs")
              .priority(i == 3 ? 9 : 5)
              .createdAt(Instant.now())
              .build(),
          Duration.ZERO);
    }

    JsonNode page =
        json.readTree(
            dq(0, "task", "list", "--queue", "jobs", "--state", "ready", "--limit", "2", "--json")
                .out());
    assertThat(page.path("total").asLong()).isEqualTo(5);
    assertThat(page.path("tasks")).hasSize(2);
    assertThat(page.path("tasks").get(0).path("id").asText()).isEqualTo("t3");
    assertThat(page.path("tasks").get(1).path("id").asText()).isEqualTo("t0");
    assertThat(page.path("tasks").get(0).path("state").asText()).isEqualTo("ready");

    String table =
        dq(0, "task", "list", "--queue", "jobs", "--state", "READY", "--offset", "4").out();
    assertThat(table).contains("ready tasks 5-5 of 5 in queue jobs").contains("t4");
    assertThat(table).doesNotContain("t3 ");
  }

  @Test
  void taskList_badArguments_usageErrors() {
    assertThat(dq(2, "task", "list", "--state", "sleeping").err()).contains("--state");
    assertThat(dq(2, "task", "list", "--state", "dead", "--limit", "501").err())
        .contains("--limit");
    assertThat(dq(2, "task", "list", "--state", "dead", "--offset", "-1").err())
        .contains("--offset");
  }

  @Test
  void throughput_printsTheRecordedMinutes_denseEndingNow() throws Exception {
    broker.record("jobs", new ThroughputCounts(7, 2, 1));

    JsonNode history =
        json.readTree(dq(0, "throughput", "--queue", "jobs", "--minutes", "3", "--json").out());
    JsonNode minutes = history.path("minutes");
    assertThat(minutes).hasSize(3);
    long processed = 0;
    long dead = 0;
    for (JsonNode m : minutes) {
      processed += m.path("processed").asLong();
      dead += m.path("dead").asLong();
    }
    assertThat(processed).isEqualTo(7);
    assertThat(dead).isEqualTo(1);
    assertThat(dq(0, "throughput", "--queue", "jobs").out().lines()).hasSize(16);
    assertThat(dq(2, "throughput", "--minutes", "61").err()).contains("--minutes");
  }

  @Test
  void workers_listsTheLiveProcesses() throws Exception {
    broker.heartbeat(
        new WorkerStatus(
            "box:42:aa",
            "box",
            42,
            "9.9.9",
            List.of("jobs"),
            4,
            1,
            Instant.parse("2026-01-01T00:00:00Z"),
            List.of(new RunningTask("jobs", new TaskId("t7")))),
        Duration.ofSeconds(15));

    JsonNode listed = json.readTree(dq(0, "workers", "--json").out()).path("workers");
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).path("id").asText()).isEqualTo("box:42:aa");
    assertThat(listed.get(0).path("slots_busy").asInt()).isEqualTo(1);
    assertThat(listed.get(0).path("running").get(0).path("id").asText()).isEqualTo("t7");
    assertThat(dq(0, "workers").out()).contains("box:42:aa").contains("1/4").contains("jobs/t7");

    broker.deregister("box:42:aa");
    assertThat(json.readTree(dq(0, "workers", "--json").out()).path("workers")).isEmpty();
  }
}
