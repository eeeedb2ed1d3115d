package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Many workers on one connection pool, through the jar: {@code run --workers 64 --prefetch 1} on
 * 1000 tasks of 200 ms used to starve the Redis connection pool (16): idle workers held every
 * connection in BLPOP, acks and renewals failed with "Could not get a resource from the pool", and
 * tasks ran twice. A ledger of the processed ids must hold each published id once.
 */
final class ManyWorkersIT extends WithRedis {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void run_sixtyFourWorkersPrefetchOne_runsEachOfAThousandTasksOnce() throws Exception {
    Dq.Result published =
        Dq.run(env(), "publish", "--type", "sleep", "--payload", "200ms", "--count", "1000");
    assertThat(published.code()).as("stderr: %s", published.err()).isZero();
    List<String> ids = published.out().lines().toList();
    assertThat(ids).hasSize(1000).doesNotHaveDuplicates();

    try (Dq.Running run =
        Dq.Running.start(
            env("DQ_LOG_FORMAT", "json", "DQ_METRICS_PORT", "0"),
            "run",
            "--workers",
            "64",
            "--prefetch",
            "1")) {
      await().atMost(Dq.PATIENCE).until(() -> succeeded(run).size() >= 1000);
      await().atMost(Dq.PATIENCE).until(() -> broker.stats("default").inFlight() == 0);
      assertThat(run.terminate())
          .as("exit code after SIGTERM; stderr:%n%s", run.errText())
          .isZero();

      Map<String, Integer> started = new HashMap<>();
      List<JsonNode> warnings = new ArrayList<>();
      for (JsonNode line : lines(run)) {
        if (line.path("message").asText().startsWith("started after")) {
          started.merge(line.path("task_id").asText(), 1, Integer::sum);
        }
        if (List.of("WARN", "ERROR").contains(line.path("level").asText())) {
          warnings.add(line);
        }
      }
      assertThat(started.keySet()).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(started.values()).as("runs per task").containsOnly(1);
      assertThat(succeeded(run)).hasSize(1000).doesNotHaveDuplicates();
      assertThat(warnings).as("warnings (pool starvation, failed acks or renewals)").isEmpty();
      assertThat(broker.stats("default"))
          .extracting(s -> s.ready() + s.inFlight() + s.delayed())
          .isEqualTo(0L);
    }
  }

  private List<String> succeeded(Dq.Running run) {
    List<String> ids = new ArrayList<>();
    for (JsonNode line : lines(run)) {
      if (line.path("message").asText().equals("succeeded")) {
        ids.add(line.path("task_id").asText());
      }
    }
    return ids;
  }

  private List<JsonNode> lines(Dq.Running run) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : List.copyOf(run.err)) {
      try {
        out.add(json.readTree(line));
      } catch (Exception notJson) {
        throw new AssertionError("not a JSON log line: " + line, notJson);
      }
    }
    return out;
  }
}
