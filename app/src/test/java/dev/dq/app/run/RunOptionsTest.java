package dev.dq.app.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.app.Cli;
import dev.dq.app.config.WorkerSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** The typed options of run: pairs, lists, blanks and the help, beyond RunCommandTest. */
final class RunOptionsTest {
  private final Cli cli = new Cli();

  private RunSettings runSettings(Map<String, String> env, String... args) {
    List<CommandLine> parsed = cli.commandLine(env, "").parseArgs(args).asCommandLineList();
    return ((RunCommand) parsed.get(parsed.size() - 1).getCommand()).settings();
  }

  @Test
  void pairs_laterPairOfATypeWins_onTheCommandLineAndInTheVariable() {
    RunSettings fromFlags =
        runSettings(
            Map.of(),
            "run",
            "--concurrency",
            "a=1",
            "--concurrency",
            "b=2",
            "--concurrency",
            "a=3");
    RunSettings fromEnv = runSettings(Map.of("DQ_TASK_TIMEOUTS", "a=1s, b=2s,,a=3s"), "run");

    assertThat(fromFlags.pool().concurrency()).isEqualTo(Map.of("a", 3, "b", 2));
    assertThat(fromEnv.pool().timeouts())
        .isEqualTo(Map.of("a", Duration.ofSeconds(3), "b", Duration.ofSeconds(2)));
  }

  private java.util.Optional<dev.dq.app.dashboard.DashboardSettings> dashboard(
      Map<String, String> env, String... args) {
    List<CommandLine> parsed = cli.commandLine(env, "").parseArgs(args).asCommandLineList();
    return ((RunCommand) parsed.get(parsed.size() - 1).getCommand()).dashboard();
  }

  @Test
  void dashboard_isOffUnlessAPortIsGiven_byFlagOrVariable() {
    assertThat(dashboard(Map.of("DQ_DASHBOARD_BIND", "127.0.0.2"), "run")).isEmpty();
    // dq dashboard's own port variable, in an environment shared with the workers, is not a switch.
    assertThat(dashboard(Map.of("DQ_DASHBOARD_PORT", "8080"), "run")).isEmpty();

    var flag = dashboard(Map.of(), "run", "--dashboard-port", "0").orElseThrow();
    assertThat(flag.bind().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(flag.port()).isZero();
    assertThat(flag.readOnly()).isFalse();
    assertThat(flag.token()).isEmpty();

    var env =
        dashboard(
                Map.of(
                    "DQ_RUN_DASHBOARD_PORT", "8181",
                    "DQ_DASHBOARD_BIND", "0.0.0.0",
                    "DQ_DASHBOARD_TOKEN", "a-token-of-16-chars",
                    "DQ_DASHBOARD_ALLOWED_HOSTS", "dq.example,ops.example"),
                "run")
            .orElseThrow();
    assertThat(env.port()).isEqualTo(8181);
    assertThat(env.token()).hasValue("a-token-of-16-chars");
    assertThat(env.allowedHosts()).containsExactly("dq.example", "ops.example");
  }

  @Test
  void dashboard_nonLoopbackWithoutTokenOrReadOnly_andATokenFlag_exit2WithOneLine() {
    assertThat(
            cli.execute(
                Map.of(), "", "run", "--dashboard-port", "0", "--dashboard-bind", "0.0.0.0"))
        .isEqualTo(2);
    assertThat(cli.err().strip())
        .isEqualTo(
            "dq: --dashboard-bind: 0.0.0.0 is not a loopback address; set DQ_DASHBOARD_TOKEN or"
                + " give --dashboard-read-only");

    Cli tokenFlag = new Cli();
    assertThat(
            tokenFlag.execute(
                Map.of(), "", "run", "--dashboard-token", "a-token-of-16-chars", "--workers", "1"))
        .isEqualTo(2);
    assertThat(tokenFlag.err().strip().lines()).hasSize(1);
    assertThat(tokenFlag.err())
        .contains("DQ_DASHBOARD_TOKEN")
        .doesNotContain("a-token-of-16-chars");

    assertThat(
            dashboard(
                    Map.of(),
                    "run",
                    "--dashboard-port",
                    "0",
                    "--dashboard-bind",
                    "0.0.0.0",
                    "--dashboard-read-only")
                .orElseThrow()
                .readOnly())
        .isTrue();
  }

  @Test
  void blankVariables_countAsUnset() {
    RunSettings s =
        runSettings(
            Map.of("DQ_QUEUES", " , ", "DQ_METRICS_BIND", " ", "DQ_CONCURRENCY", ""), "run");

    assertThat(s.pool().queues()).containsExactly("default");
    assertThat(s.metrics().bind()).isEqualTo("127.0.0.1");
    assertThat(s.pool().concurrency()).isEmpty();
  }

  private static final String QUEUE_RULE =
      "'a queue name, optionally =WEIGHT with WEIGHT a whole number from 1 to 1000'";

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "--concurrency, email, 'TYPE=N (1-" + WorkerSettings.MAX_WORKERS + ")'",
    "--concurrency, a b=1, 'TYPE=N (1-" + WorkerSettings.MAX_WORKERS + ")'",
    "--task-timeout, echo=0s, TYPE=DURATION",
    "--flaky-rate, 1.5, a number from 0.0 to 1.0",
    "--queue, '', " + QUEUE_RULE,
    "--queue, low=0, " + QUEUE_RULE,
    "--queue, low=-1, " + QUEUE_RULE,
    "--queue, low=abc, " + QUEUE_RULE,
    "--queue, low=, " + QUEUE_RULE,
    "--queue, =3, " + QUEUE_RULE,
    "--queue, low=1001, " + QUEUE_RULE,
  })
  void badFlag_exits2WithTheMessageOfTheResolver(String flag, String value, String expected) {
    assertThat(cli.execute(Map.of(), "", "run", flag, value)).isEqualTo(2);

    assertThat(cli.err().strip())
        .isEqualTo("dq: " + flag + " must be " + expected + ", got \"" + value + "\"");
  }

  @Test
  void help_withBadVariables_isPrintedWithTheDefaults() {
    Map<String, String> env = Map.of("DQ_WORKERS", "0", "DQ_QUEUES", "a b", "DQ_GRACE", "1s");

    assertThat(cli.execute(env, "", "run", "--help")).isZero();

    assertThat(cli.out().replaceAll("\\s+", " "))
        .contains(
            "(env DQ_WORKERS, default 4)",
            "(env DQ_QUEUES, comma-separated; default: default)",
            "(env DQ_GRACE, default 30s)",
            "(env DQ_METRICS_PORT, default " + RunCommand.DEFAULT_METRICS_PORT + ")");
    assertThat(cli.err()).isEmpty();
  }
}
