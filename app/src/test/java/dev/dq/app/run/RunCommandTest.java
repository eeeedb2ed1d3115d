package dev.dq.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.app.Cli;
import dev.dq.app.config.WorkerSettings;
import dev.dq.app.handlers.FlakyHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Parsing of run: defaults, environment, flags, and the one-line errors. */
final class RunCommandTest {
  private final Cli cli = new Cli();

  private RunSettings runSettings(Map<String, String> env, String... args) {
    CommandLine cl = cli.commandLine(env, "");
    List<CommandLine> parsed = cl.parseArgs(args).asCommandLineList();
    return ((RunCommand) parsed.get(parsed.size() - 1).getCommand()).settings();
  }

  @Test
  void run_noSettings_usesDefaults() {
    RunSettings s = runSettings(Map.of(), "run");

    assertThat(s.pool().workers()).isEqualTo(4);
    assertThat(s.pool().queues()).containsExactly("default");
    assertThat(s.pool().maxAttempts()).isEqualTo(3);
    assertThat(s.pool().grace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.pool().prefetch()).isEqualTo(4);
    assertThat(s.pool().leaseTime()).isEqualTo(WorkerSettings.DEFAULT_LEASE_TIME);
    assertThat(s.metrics())
        .isEqualTo(new MetricsSettings("127.0.0.1", RunCommand.DEFAULT_METRICS_PORT));
    assertThat(s.flakyRate()).isEqualTo(FlakyHandler.DEFAULT_RATE);
    assertThat(s.startupWait()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void run_environment_isRead() {
    var env =
        Map.ofEntries(
            Map.entry("DQ_WORKERS", "8"),
            Map.entry("DQ_QUEUES", "a,b"),
            Map.entry("DQ_TASK_TIMEOUTS", "sleep=2s"),
            Map.entry("DQ_CONCURRENCY", "sleep=1"),
            Map.entry("DQ_GRACE", "500ms"),
            Map.entry("DQ_METRICS_PORT", "0"),
            Map.entry("DQ_METRICS_BIND", "0.0.0.0"),
            Map.entry("DQ_FLAKY_RATE", "0.1"),
            Map.entry("DQ_PREFETCH", "16"),
            Map.entry("DQ_LEASE_TIME", "3s"),
            Map.entry("DQ_STARTUP_WAIT", "2s"));

    RunSettings s = runSettings(env, "run");

    assertThat(s.pool())
        .isEqualTo(
            new WorkerSettings(
                8,
                3,
                Duration.ofMillis(500),
                List.of("a", "b"),
                Map.of("sleep", Duration.ofSeconds(2)),
                Map.of("sleep", 1),
                16,
                Duration.ofSeconds(3)));
    assertThat(s.metrics()).isEqualTo(new MetricsSettings("0.0.0.0", 0));
    assertThat(s.metrics().enabled()).isFalse();
    assertThat(s.flakyRate()).isEqualTo(0.1);
    assertThat(s.startupWait()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void run_flagsWinOverEnvironment() {
    RunSettings s =
        runSettings(
            Map.of("DQ_WORKERS", "abc", "DQ_QUEUES", "a"),
            "run",
            "--workers",
            "2",
            "--queue",
            "x",
            "--queue",
            "y",
            "--task-timeout",
            "echo=1m",
            "--max-attempts",
            "5",
            "--metrics-port",
            "9999");

    assertThat(s.pool().workers()).isEqualTo(2);
    assertThat(s.pool().queues()).containsExactly("x", "y");
    assertThat(s.pool().timeouts()).containsEntry("echo", Duration.ofMinutes(1));
    assertThat(s.pool().maxAttempts()).isEqualTo(5);
    assertThat(s.metrics().port()).isEqualTo(9999);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "DQ_WORKERS, 0",
    "DQ_QUEUES, 'a b'",
    "DQ_MAX_ATTEMPTS, x",
    "DQ_TASK_TIMEOUTS, sleep",
    "DQ_TASK_TIMEOUTS, sleep=0s",
    "DQ_CONCURRENCY, sleep=0",
    "DQ_GRACE, forever",
    "DQ_METRICS_PORT, 70000",
    "DQ_FLAKY_RATE, 2",
    "DQ_PREFETCH, 0",
    "DQ_LEASE_TIME, 100ms",
    "DQ_LEASE_TIME, 2h",
    "DQ_STARTUP_WAIT, 11m",
    "DQ_STARTUP_WAIT, -1s",
  })
  void run_badVariable_exits2WithOneLineNamingIt(String variable, String value) {
    assertThat(cli.execute(Map.of(variable, value), "", "run")).isEqualTo(2);

    assertThat(cli.err().lines())
        .singleElement()
        .asString()
        .startsWith("dq: " + variable)
        .contains('"' + value + '"');
  }

  @Test
  void run_queueWeights_keepTheOrderAndWeighQueuesWithoutOne1() {
    RunSettings s =
        runSettings(
            Map.of(), "run", "--queue", "critical=6", "--queue", "default=3", "--queue", "low");

    assertThat(s.pool().queues()).containsExactly("critical", "default", "low");
    assertThat(s.pool().weights()).isEqualTo(Map.of("critical", 6, "default", 3));
    assertThat(s.pool().strict()).isFalse();
  }

  @Test
  void run_queueWeightsInTheVariable_areRead() {
    RunSettings s = runSettings(Map.of("DQ_QUEUES", "mail:eu=5, low"), "run");

    assertThat(s.pool().queues()).containsExactly("mail:eu", "low");
    assertThat(s.pool().weights()).isEqualTo(Map.of("mail:eu", 5));
  }

  @Test
  void run_strict_servesTheQueuesInTheOrderGiven() {
    RunSettings s = runSettings(Map.of(), "run", "--strict", "--queue", "b", "--queue", "a");

    assertThat(s.pool().queues()).containsExactly("b", "a");
    assertThat(s.pool().strict()).isTrue();
    assertThat(s.pool().weights()).isEmpty();
  }

  @Test
  void run_strictWithWeights_exits2WithOneLineNamingTheWeight() {
    assertThat(cli.execute(Map.of(), "", "run", "--strict", "--queue", "a", "--queue", "b=2"))
        .isEqualTo(2);

    assertThat(cli.err().lines())
        .singleElement()
        .asString()
        .startsWith("dq: --strict")
        .contains("b=2");
  }
}
