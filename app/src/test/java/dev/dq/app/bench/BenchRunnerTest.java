package dev.dq.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.app.bench.BenchSettings.Mode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class BenchRunnerTest {

  private static BenchRunner runner(BenchSettings settings) {
    return new BenchRunner(
        "memory",
        capacity -> InMemoryBroker.builder().capacity(capacity).build(),
        b -> -1,
        (b, q) -> {},
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
