package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A smoke run of {@code dq bench} on both backends, as a user types it, so the tool cannot rot. It
 * checks that every mode reports the tasks it moved and leaves Redis empty; it asserts no speed
 * (benchmarks are not tests).
 */
final class BenchIT extends WithRedis {
  private final ObjectMapper json = new ObjectMapper();

  private List<JsonNode> rows(Dq.Result r) throws Exception {
    assertThat(r.code()).as("stderr: %s", r.err()).isZero();
    List<JsonNode> rows = new ArrayList<>();
    for (String line : r.out().lines().toList()) {
      rows.add(json.readTree(line));
    }
    return rows;
  }

  @Test
  void bench_memoryAllModes_printsEachModeAndTheThreadPoolBaseline() throws Exception {
    Dq.Result r =
        Dq.run(
            Map.of(),
            "bench",
            "--backend",
            "memory",
            "--tasks",
            "3000",
            "--workers",
            "2",
            "--latency-samples",
            "50",
            "--json");

    List<JsonNode> rows = rows(r);
    assertThat(rows)
        .extracting(n -> n.path("measure").asText())
        .containsExactly("enqueue", "process", "latency", "ThreadPoolExecutor");
    assertThat(rows)
        .extracting(n -> n.path("tasks").asLong())
        .containsExactly(3000L, 3000L, 50L, 3000L);
    assertThat(rows.get(2).has("latency_p99_ms")).isTrue();
    assertThat(rows)
        .allSatisfy(
            row ->
                assertThat(row.fieldNames())
                    .toIterable()
                    .noneMatch(name -> name.startsWith("redis_")));
  }

  @Test
  void bench_redis_processesEveryTaskOnceAndLeavesTheQueuesEmpty() throws Exception {
    Dq.Result r =
        Dq.run(
            env(),
            "bench",
            "--tasks",
            "2000",
            "--workers",
            "4",
            "--latency-samples",
            "50",
            "--json");

    List<JsonNode> rows = rows(r);
    assertThat(rows).extracting(n -> n.path("backend").asText()).containsOnly("redis");
    assertThat(rows)
        .extracting(n -> n.path("measure").asText())
        .containsExactly("enqueue", "process", "latency");
    assertThat(rows.get(0).path("store_bytes_per_task").asLong()).isPositive();
    assertThat(rows)
        .allSatisfy(
            row -> {
              assertThat(row.path("redis_cpu_us_per_task").asDouble()).isPositive();
              assertThat(row.path("redis_commands_per_task").asDouble()).isPositive();
            });
    assertThat(rows.get(1).path("redis_scripts_per_task").asDouble()).isPositive();
    assertThat(rows.get(1).path("redis_cpu_us_per_task_whole_life").asDouble())
        .isEqualTo(
            rows.get(0).path("redis_cpu_us_per_task").asDouble()
                + rows.get(1).path("redis_cpu_us_per_task").asDouble(),
            within(0.0011));
    assertThat(broker.queues()).noneMatch(q -> q.startsWith("bench-"));
    assertThat(redis.admin().keys("dq:{bench-*")).isEmpty();
  }

  @Test
  void bench_badMode_exits2NamingIt() throws Exception {
    Dq.Result r = Dq.run(Map.of(), "bench", "--mode", "fast");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines().toList()).hasSize(1);
    assertThat(r.err()).contains("--mode", "\"fast\"");
  }
}
