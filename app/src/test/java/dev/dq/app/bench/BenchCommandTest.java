package dev.dq.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.app.Cli;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The typed options of bench: rows, their variables, and the backend's fallback. */
final class BenchCommandTest {
  private final Cli cli = new Cli();

  private BenchCommand parsed(Map<String, String> env, String... args) {
    List<CommandLine> commands = cli.commandLine(env, "").parseArgs(args).asCommandLineList();
    return (BenchCommand) commands.get(commands.size() - 1).getCommand();
  }

  @Test
  void noSettings_usesTheRowsDefaults_andNoBackendOfItsOwn() {
    BenchCommand bench = parsed(Map.of(), "bench");

    assertThat(List.of(bench.tasks, bench.workers, bench.payloadBytes))
        .containsExactly(100_000, 4, 100); // dq run's defaults
    assertThat(List.of(bench.prefetch, bench.batch, bench.latencySamples))
        .containsExactly(4, 1000, 2000);
    assertThat(bench.mode).isEqualTo("all");
    assertThat(bench.backend).isNull();
  }

  @Test
  void variables_areRead_andFlagsWin() {
    Map<String, String> env =
        Map.of("DQ_BENCH_TASKS", "5", "DQ_BENCH_MODE", "Latency", "DQ_BROKER", "redis");

    BenchCommand fromEnv = parsed(env, "bench");
    BenchCommand fromFlags =
        parsed(env, "bench", "--tasks", "6", "--mode", "enqueue", "--backend", "MEMORY");

    assertThat(List.of(fromEnv.tasks, fromEnv.mode, fromEnv.backend))
        .containsExactly(5, "latency", "redis");
    assertThat(List.of(fromFlags.tasks, fromFlags.mode, fromFlags.backend))
        .containsExactly(6, "enqueue", "memory");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "DQ_BENCH_TASKS, 0",
    "DQ_BENCH_WORKERS, x",
    "DQ_BENCH_PAYLOAD_BYTES, -1",
    "DQ_BENCH_PREFETCH, 10001",
    "DQ_BENCH_BATCH, 0",
    "DQ_BENCH_LATENCY_SAMPLES, 1.5",
    "DQ_BENCH_MODE, fast",
  })
  void badVariable_exits2WithOneLineNamingIt(String variable, String value) {
    assertThat(cli.execute(Map.of(variable, value), "", "bench")).isEqualTo(2);

    assertThat(cli.err().lines())
        .singleElement()
        .asString()
        .startsWith("dq: " + variable + " must be ")
        .endsWith("got \"" + value + "\"");
  }

  @Test
  void badBackendFlag_listsTheRegistrysBackends() {
    assertThat(cli.execute(Map.of(), "", "bench", "--backend", "foo")).isEqualTo(2);

    assertThat(cli.err().strip())
        .isEqualTo("dq: --backend must be one of memory | redis, got \"foo\"");
  }

  @Test
  void help_withBadVariables_isPrintedWithTheDefaults() {
    assertThat(cli.execute(Map.of("DQ_BENCH_TASKS", "0"), "", "bench", "--help")).isZero();

    assertThat(cli.out().replaceAll("\\s+", " ")).contains("Tasks per mode (default 100000).");
    assertThat(cli.err()).isEmpty();
  }
}
