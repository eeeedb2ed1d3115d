package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Parsing of run, publish, dlq and stats: defaults, environment, flags, and the one-line errors. */
final class CommandsTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private CommandLine commandLine(Map<String, String> env, String stdin) {
    return Main.commandLine(
        new Env(env),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        (a, d) -> 0);
  }

  private RunSettings runSettings(Map<String, String> env, String... args) {
    CommandLine cl = commandLine(env, "");
    List<CommandLine> parsed = cl.parseArgs(args).asCommandLineList();
    return ((RunCommand) parsed.get(parsed.size() - 1).getCommand()).settings();
  }

  private int execute(Map<String, String> env, String stdin, String... args) {
    return commandLine(env, stdin).execute(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void run_noSettings_usesDefaults() {
    RunSettings s = runSettings(Map.of(), "run");

    assertThat(s.pool().workers()).isEqualTo(4);
    assertThat(s.pool().queues()).containsExactly("default");
    assertThat(s.pool().maxAttempts()).isEqualTo(3);
    assertThat(s.pool().grace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.pool().prefetch()).isEqualTo(4);
    assertThat(s.metrics()).isEqualTo(new MetricsSettings("127.0.0.1", RunCommand.DEFAULT_METRICS_PORT));
    assertThat(s.flakyRate()).isEqualTo(FlakyHandler.DEFAULT_RATE);
  }

  @Test
  void run_environment_isRead() {
    var env =
        Map.of("DQ_WORKERS", "8", "DQ_QUEUES", "a,b", "DQ_TASK_TIMEOUTS", "sleep=2s", "DQ_CONCURRENCY", "sleep=1",
            "DQ_GRACE", "500ms", "DQ_METRICS_PORT", "0", "DQ_METRICS_BIND", "0.0.0.0", "DQ_FLAKY_RATE", "0.1",
            "DQ_PREFETCH", "16");

    RunSettings s = runSettings(env, "run");

    assertThat(s.pool()).isEqualTo(
        new WorkerSettings(8, 3, Duration.ofMillis(500), List.of("a", "b"), Map.of("sleep", Duration.ofSeconds(2)),
            Map.of("sleep", 1), 16));
    assertThat(s.metrics()).isEqualTo(new MetricsSettings("0.0.0.0", 0));
    assertThat(s.metrics().enabled()).isFalse();
    assertThat(s.flakyRate()).isEqualTo(0.1);
  }

  @Test
  void run_flagsWinOverEnvironment() {
    RunSettings s =
        runSettings(Map.of("DQ_WORKERS", "abc", "DQ_QUEUES", "a"), "run", "--workers", "2", "--queue", "x",
            "--queue", "y", "--task-timeout", "echo=1m", "--max-attempts", "5", "--metrics-port", "9999");

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
  })
  void run_badVariable_exits2WithOneLineNamingIt(String variable, String value) {
    assertThat(execute(Map.of(variable, value), "", "run")).isEqualTo(2);

    assertThat(err().lines()).singleElement().asString().startsWith("dq: " + variable).contains('"' + value + '"');
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'publish --type bad!type', --type",
    "'publish --type echo --count 0', --count",
    "'publish --type echo --delay soon', --delay",
    "'publish --type echo --timeout 1y', --timeout",
    "'publish --payload x', --type",
    "'publish --type echo --payload x --payload-file /etc/hostname', --payload-file",
    "'publish --type echo --payload-file /no/such/file', --payload-file",
    "'publish --type echo --queue a/b', --queue",
    "'dlq requeue', --all",
    "'dlq requeue a --all', --all",
    "'dlq show bad/id', ID",
    "'dlq list --limit 0', --limit",
    "'stats --interval 1ms', --interval",
    "'stats --queue a/b', --queue",
  })
  void badArguments_exit2WithOneLineNamingThem(String args, String named) {
    assertThat(execute(Map.of(), "", args.split(" "))).isEqualTo(2);

    assertThat(err().lines()).singleElement().asString().startsWith("dq: ").contains(named);
    assertThat(out()).isEmpty();
  }

  @Test
  void dlqList_limitAboveMaximum_exits2_andTheReadmeStatesThatMaximum() throws Exception {
    String range = "from 1 to " + DlqCommand.MAX_LIMIT;

    assertThat(execute(Map.of(), "", "dlq", "list", "--limit", "" + (DlqCommand.MAX_LIMIT + 1))).isEqualTo(2);

    assertThat(err().lines()).singleElement().asString().startsWith("dq: --limit").contains(range);
    Path readme = Path.of(System.getProperty("basedir", ".")).resolve("../README.md").normalize();
    List<String> lines = Files.readAllLines(readme);
    assertThat(lines).filteredOn(l -> l.startsWith("| `dq dlq list` |")).singleElement().asString().contains(range);
    assertThat(lines).filteredOn(l -> l.startsWith("| `DQ_DLQ_LIMIT`")).singleElement().asString().contains(range);
  }

  @Test
  void unknownCommand_exits2WithOneLine() {
    assertThat(execute(Map.of(), "", "frobnicate")).isEqualTo(2);

    assertThat(err().lines()).singleElement().asString().contains("frobnicate");
  }

  @Test
  void publish_noTypeAndEmptyStdin_exits2() {
    assertThat(execute(Map.of(), "", "publish")).isEqualTo(2);

    assertThat(err()).contains("nothing to publish");
  }

  @Test
  void publish_badJsonLine_exits1NamingTheLineAndPublishesNothing() {
    String stdin = "{\"type\":\"echo\"}\n\nnot json\n";

    assertThat(execute(Map.of(), stdin, "publish")).isEqualTo(1);

    assertThat(err()).contains("dq: stdin line 3: not JSON", "nothing was published");
    assertThat(out()).isEmpty();
  }

  @Test
  void publish_oversizedPayloadOnStdin_exits1() {
    String stdin = "{\"type\":\"echo\",\"payload\":\"" + "x".repeat((1 << 20) + 1) + "\"}\n";

    assertThat(execute(Map.of(), stdin, "publish")).isEqualTo(1);

    assertThat(err()).contains("stdin line 1: ", "exceeds the limit of 1048576 bytes", "nothing was published");
  }

  @Test
  void publish_jsonLines_printsOneIdPerTask() {
    String stdin = "{\"type\":\"echo\",\"payload\":\"a\",\"id\":\"t-1\"}\n{\"type\":\"sleep\",\"payload\":{\"ms\":1}}\n";

    assertThat(execute(Map.of(), stdin, "publish")).isZero();

    assertThat(out().lines()).hasSize(2).first().isEqualTo("t-1");
  }

  @Test
  void publish_queueCapacityFlag_limitsTheMemoryBroker() {
    assertThat(execute(Map.of(), "", "--queue-capacity", "2", "publish", "--type", "echo", "--count", "3",
        "--timeout", "0ms")).isEqualTo(1);

    assertThat(err()).contains("dq: queue default still full after 0ms", "published 2 of 3");
    assertThat(out().lines()).hasSize(2);
  }

  @Test
  void publish_queueCapacityVariable_isUsedAndFlagWins() {
    assertThat(execute(Map.of("DQ_QUEUE_CAPACITY", "1"), "", "publish", "--type", "echo", "--count", "2",
        "--timeout", "0ms")).isEqualTo(1);
    assertThat(execute(Map.of("DQ_QUEUE_CAPACITY", "1"), "", "--queue-capacity", "5", "publish", "--type", "echo",
        "--count", "2", "--timeout", "0ms")).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"type\":\"echo\",\"queue\":7}|\"queue\" must be a string, not a number",
      "{\"type\":\"echo\",\"id\":42}|\"id\" must be a string, not a number",
      "{\"type\":\"echo\",\"headers\":[\"a\"]}|\"headers\" must be an object of strings, not an array",
      "{\"type\":\"echo\",\"headers\":{\"on\":true}}|header \"on\" must be a string, not a boolean"})
  void publish_nonStringField_exits1NamingItAndPublishesNothing(String line, String message) {
    assertThat(execute(Map.of(), "{\"type\":\"echo\"}\n" + line + "\n", "publish")).isEqualTo(1);

    assertThat(err()).startsWith("dq: stdin line 2: " + message).contains("nothing was published");
    assertThat(out()).isEmpty();
  }

  @Test
  void publish_quietCount_printsTheCount() {
    assertThat(execute(Map.of(), "", "publish", "--type", "echo", "--count", "1200", "--quiet")).isZero();

    assertThat(out().strip()).isEqualTo("published 1200");
  }
}
