package dev.dq.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.app.bench.BenchSettings.Mode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

final class BenchRunnerTest {

  private static BenchRunner runner(BenchSettings settings) {
    return new BenchRunner(
        "memory",
        capacity -> InMemoryBroker.builder().capacity(capacity).build(),
        b -> -1,
        (b, q) -> {},
        Map::of,
        settings);
  }

  @Test
  void run_allModesOnMemory_reportsOneRowPerModeWithTheTasksMoved() throws Exception {
    var settings = new BenchSettings(3_000, 4, 100, 16, 500, 200, EnumSet.allOf(Mode.class));

    List<BenchResult> results = runner(settings).run();

    assertThat(results)
        .extracting(BenchResult::name)
        .containsExactly("enqueue", "process", "latency");
    assertThat(results).extracting(BenchResult::tasks).containsExactly(3_000L, 3_000L, 200L);
    assertThat(results).allSatisfy(r -> assertThat(r.seconds()).isPositive());
    assertThat(results.get(2).latency())
        .hasValueSatisfying(l -> assertThat(l.samples()).isEqualTo(200));
    assertThat(results.get(0).latency()).isEmpty();
    assertThat(results.get(1).notes()).containsEntry("prefetch", 16).containsKey("heap_after_mb");
  }

  @Test
  void run_withServerStats_notesWhatEachModeCostTheServerPerTask() throws Exception {
    var settings = new BenchSettings(1_000, 2, 100, 16, 500, 100, EnumSet.allOf(Mode.class));
    // Every reading finds the server 10 ms of CPU, 2000 script calls and 3000 other calls further.
    var readings = new AtomicLong();
    Supplier<Map<String, String>> stats =
        () -> {
          long k = readings.incrementAndGet();
          return Map.of(
              "used_cpu_user_main_thread",
              String.valueOf(k * 0.01),
              "used_cpu_sys_main_thread",
              "0.000000",
              "cmdstat_evalsha",
              "calls=" + k * 2000 + ",usec=1",
              "cmdstat_hset",
              "calls=" + k * 3000 + ",usec=1");
        };
    var runner =
        new BenchRunner(
            "redis",
            capacity -> InMemoryBroker.builder().capacity(capacity).build(),
            b -> -1,
            (b, q) -> {},
            stats,
            settings);

    List<BenchResult> results = runner.run();

    assertThat(results.get(0).notes())
        .containsEntry("redis_cpu_us_per_task", 10.0)
        .containsEntry("redis_calls_per_task", 5.0)
        .containsEntry("redis_scripts_per_task", 2.0)
        .containsEntry("redis_commands_per_task", 3.0);
    assertThat(results.get(1).notes())
        .containsEntry("redis_cpu_us_per_task", 10.0)
        .containsEntry("redis_cpu_us_per_task_whole_life", 20.0);
    assertThat(results.get(2).notes()).containsEntry("redis_cpu_us_per_task", 100.0);
    assertThat(readings).hasValue(6);
  }

  @Test
  void run_withoutServerStats_notesNoServerFigures() throws Exception {
    var settings = new BenchSettings(500, 2, 100, 16, 500, 20, EnumSet.allOf(Mode.class));

    List<BenchResult> results = runner(settings).run();

    assertThat(results)
        .allSatisfy(r -> assertThat(r.notes().keySet()).noneMatch(k -> k.startsWith("redis_")));
  }

  @Test
  void report_tableAndJson_carryEveryRow() throws Exception {
    var results =
        runner(new BenchSettings(500, 2, 0, 1, 100, 20, Set.of(Mode.PROCESS, Mode.LATENCY))).run();
    var table = new StringWriter();
    var json = new StringWriter();

    BenchReport.table(results, new PrintWriter(table));
    BenchReport.json(results, new PrintWriter(json));

    assertThat(table.toString().lines()).hasSize(3);
    assertThat(table.toString()).contains("process", "latency");
    assertThat(json.toString().lines())
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).startsWith("{\"backend\":\"memory\"").endsWith("}"));
    assertThat(json.toString()).contains("\"latency_p99_ms\":");
  }

  @Test
  void threadPoolBaseline_runsTheSameNumberOfTasks() throws Exception {
    BenchResult baseline =
        runner(new BenchSettings(10_000, 2, 0, 1, 100, 1, Set.of(Mode.PROCESS)))
            .threadPoolBaseline();

    assertThat(baseline.tasks()).isEqualTo(10_000);
    assertThat(baseline.name()).isEqualTo("ThreadPoolExecutor");
  }

  @Test
  void settings_badValues_areRejectedNamingThem() {
    assertThatThrownBy(() -> new BenchSettings(0, 1, 0, 1, 1, 1, Set.of(Mode.ENQUEUE)))
        .hasMessage("tasks must be >= 1: 0");
    assertThatThrownBy(() -> new BenchSettings(1, 1, -1, 1, 1, 1, Set.of(Mode.ENQUEUE)))
        .hasMessage("payload bytes must be >= 0: -1");
    assertThatThrownBy(() -> new BenchSettings(1, 1, 0, 1, 1, 1, Set.of()))
        .hasMessage("at least one mode is needed");
  }
}
