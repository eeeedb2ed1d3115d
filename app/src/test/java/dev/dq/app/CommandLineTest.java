package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.SettingResolver;
import dev.dq.app.config.WorkerSettings;
import dev.dq.app.demo.DemoCommand;
import dev.dq.app.demo.DemoSettings;
import dev.dq.app.logging.LogFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class CommandLineTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final AtomicReference<AppSettings> app = new AtomicReference<>();
  private final AtomicReference<DemoSettings> demo = new AtomicReference<>();

  private int run(Map<String, String> env, String... args) {
    DemoCommand.Launcher capture =
        (a, d) -> {
          app.set(a);
          demo.set(d);
          return 0;
        };
    return Main.run(args, new SettingResolver(env), stream(out), stream(err), capture);
  }

  private static PrintStream stream(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void demo_noSettings_usesDefaults() {
    assertThat(run(Map.of(), "demo")).isZero();

    assertThat(app.get()).isEqualTo(new AppSettings("memory", LogFormat.TEXT));
    assertThat(demo.get().pool().workers()).isEqualTo(3);
    assertThat(demo.get().tasks()).isEqualTo(10);
    assertThat(demo.get().pool().maxAttempts()).isEqualTo(3);
  }

  @Test
  void demo_environment_isRead() {
    var env =
        Map.of(
            "WORKERS",
            "5",
            "TASKS",
            "42",
            "MAX_ATTEMPTS",
            "1",
            "DQ_BROKER",
            "MEMORY",
            "DQ_LOG_FORMAT",
            "json");

    assertThat(run(env, "demo", "--seed", "7")).isZero();

    assertThat(app.get()).isEqualTo(new AppSettings("memory", LogFormat.JSON));
    assertThat(demo.get())
        .isEqualTo(new DemoSettings(new WorkerSettings(5, 1, DemoCommand.GRACE), 42, 7));
  }

  @Test
  void demo_flagAndEnvironment_flagWins() {
    var env = Map.of("WORKERS", "5", "TASKS", "abc", "DQ_LOG_FORMAT", "xml");

    assertThat(run(env, "--log-format", "json", "demo", "--workers", "2", "--tasks", "4")).isZero();

    assertThat(demo.get().pool().workers()).isEqualTo(2);
    assertThat(demo.get().tasks()).isEqualTo(4);
    assertThat(app.get().logFormat()).isEqualTo(LogFormat.JSON);
  }

  @Test
  void queueCapacity_variableThenFlag_flagWins() {
    assertThat(run(Map.of("DQ_QUEUE_CAPACITY", "7"), "demo")).isZero();
    assertThat(app.get().queueCapacity()).isEqualTo(7);

    assertThat(run(Map.of("DQ_QUEUE_CAPACITY", "7"), "--queue-capacity", "9", "demo")).isZero();
    assertThat(app.get().queueCapacity()).isEqualTo(9);
  }

  @Test
  void queueCapacity_outOfRange_exits2NamingIt() {
    assertThat(run(Map.of(), "--queue-capacity", "0", "demo")).isEqualTo(2);

    assertThat(err().lines())
        .singleElement()
        .asString()
        .startsWith("dq: --queue-capacity must be")
        .contains("\"0\"");
  }

  @Test
  void demo_emptyVariable_countsAsUnset() {
    assertThat(run(Map.of("WORKERS", ""), "demo")).isZero();

    assertThat(demo.get().pool().workers()).isEqualTo(3);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "WORKERS, 0",
    "WORKERS, -1",
    "WORKERS, 257",
    "TASKS, abc",
    "TASKS, 1.5",
    "TASKS, 99999999999",
    "MAX_ATTEMPTS, 0",
    "DQ_BROKER, foo",
    "DQ_LOG_FORMAT, xml",
  })
  void demo_badVariable_exits2WithOneLineNamingIt(String variable, String value) {
    int code = run(Map.of(variable, value), "demo");

    assertThat(code).isEqualTo(2);
    assertThat(err().lines())
        .singleElement()
        .asString()
        .contains(variable)
        .contains('"' + value + '"');
    assertThat(err()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(demo.get()).as("demo must not run").isNull();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"--workers, 0", "--tasks, x", "--max-attempts, 101", "--seed, abc"})
  void demo_badFlag_exits2WithOneLineNamingIt(String flag, String value) {
    int code = run(Map.of(), "demo", flag, value);

    assertThat(code).isEqualTo(2);
    assertThat(err().lines()).singleElement().asString().contains(flag).contains(value);
    assertThat(demo.get()).isNull();
  }

  @Test
  void badValue_withNewline_staysOnOneLine() {
    assertThat(run(Map.of("DQ_BROKER", "re\ndis"), "demo")).isEqualTo(2);

    assertThat(err().lines()).singleElement().asString().contains("DQ_BROKER", "re\\u000adis");
  }

  @Test
  void unknownOption_exits2WithOneLine() {
    assertThat(run(Map.of(), "demo", "--frobnicate")).isEqualTo(2);

    assertThat(err().lines()).singleElement().asString().contains("--frobnicate");
  }

  @Test
  void unknownCommand_exits2WithOneLine() {
    assertThat(run(Map.of(), "frobnicate")).isEqualTo(2);

    assertThat(err().lines()).singleElement().asString().contains("frobnicate");
  }

  @Test
  void help_printsUsageWithEnvironment_exits0() {
    assertThat(run(Map.of(), "--help")).isZero();

    assertThat(out()).contains("Usage: dq", "demo", "DQ_BROKER", "DQ_LOG_FORMAT");
    assertThat(err()).isEmpty();
  }

  @Test
  void demoHelp_listsEveryDemoSetting_exits0() {
    assertThat(run(Map.of(), "demo", "--help")).isZero();

    assertThat(out())
        .contains(
            "--workers", "--tasks", "--max-attempts", "--seed", "WORKERS", "TASKS", "MAX_ATTEMPTS");
  }

  @Test
  void version_printsProjectVersion_exits0() {
    assertThat(run(Map.of(), "--version")).isZero();

    assertThat(out().strip()).matches("dq \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void noSubcommand_printsUsage_exits2() {
    assertThat(run(Map.of())).isEqualTo(2);

    assertThat(err()).contains("Usage: dq");
  }
}
