package dev.dq.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.app.config.Setting.Rule;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The default-value provider: flag, else variable from the injected map, else the row's default;
 * bad variables named after parsing, and never in the way of the help.
 */
final class EnvironmentDefaultsTest {
  static final class Count extends Setting<Integer> {
    Count() {
      super("DQ_COUNT", "1", Rule.wholeNumber(1, 100));
    }
  }

  static final class Wait extends Setting<Duration> {
    Wait() {
      super("DQ_WAIT", "5s", Rule.duration(Duration.ZERO, Duration.ofMinutes(10)));
    }
  }

  static final class Names extends Setting<String> {
    Names() {
      super("DQ_NAMES", null, Rule.queueName("a queue name"));
    }
  }

  @Command(name = "t", mixinStandardHelpOptions = true)
  static final class Target implements Callable<Integer> {
    @Option(
        names = "--count",
        converter = Count.class,
        description = "How many (env DQ_COUNT, default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--wait", converter = Wait.class, description = "default ${DEFAULT-VALUE}")
    Duration wait;

    @Option(names = "--name", converter = Names.class, split = EnvironmentDefaults.ITEMS)
    List<String> names;

    @Option(names = "--plain")
    String plain;

    final List<Target> runs = new ArrayList<>();

    @Override
    public Integer call() {
      runs.add(this);
      return 0;
    }
  }

  private final Target target = new Target();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    CommandLine cl = new CommandLine(target);
    EnvironmentDefaults.install(cl, new SettingResolver(env));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          String rejected = Setting.message(ex);
          ex.getCommandLine().getErr().println(rejected != null ? rejected : ex.getMessage());
          return 2;
        });
    return cl.execute(args);
  }

  @Test
  void noFlagNoVariable_givesTheRowsDefaults() {
    assertThat(run(Map.of())).isZero();

    assertThat(target.count).isEqualTo(1);
    assertThat(target.wait).isEqualTo(Duration.ofSeconds(5));
    assertThat(target.names).isNull();
    assertThat(target.plain).isNull();
  }

  @Test
  void variable_isReadFromTheInjectedMap() {
    assertThat(run(Map.of("DQ_COUNT", " 7 ", "DQ_WAIT", "250ms"))).isZero();

    assertThat(target.count).isEqualTo(7);
    assertThat(target.wait).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void emptyVariable_countsAsUnset() {
    assertThat(run(Map.of("DQ_COUNT", "", "DQ_WAIT", "  ", "DQ_NAMES", " , "))).isZero();

    assertThat(target.count).isEqualTo(1);
    assertThat(target.wait).isEqualTo(Duration.ofSeconds(5));
    assertThat(target.names).isNull();
  }

  @Test
  void flag_winsOverAVariable_evenABadOne() {
    assertThat(run(Map.of("DQ_COUNT", "abc"), "--count", "9")).isZero();

    assertThat(target.count).isEqualTo(9);
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void badVariable_isNamedWithItsValue_andTheCommandDoesNotRun() {
    assertThat(run(Map.of("DQ_COUNT", "0"))).isEqualTo(2);

    assertThat(err.toString().strip())
        .isEqualTo("DQ_COUNT must be a whole number from 1 to 100, got \"0\"");
    assertThat(target.runs).isEmpty();
  }

  @Test
  void badFlag_isNamedWithItsValue() {
    assertThat(run(Map.of(), "--wait", "11m")).isEqualTo(2);

    assertThat(err.toString().strip())
        .isEqualTo("--wait must be a duration from 0ms to 10m (e.g. 500ms, 30s, 5m), got \"11m\"");
    assertThat(target.runs).isEmpty();
  }

  @Test
  void listVariable_isSplitOnCommas_trimmed_emptyItemsDropped() {
    assertThat(run(Map.of("DQ_NAMES", "a, b,,c"))).isZero();

    assertThat(target.names).containsExactly("a", "b", "c");
  }

  @Test
  void listFlag_isRepeatable_andNotSplitOnCommas() {
    assertThat(run(Map.of("DQ_NAMES", "x"), "--name", "a", "--name", "b")).isZero();
    assertThat(target.names).containsExactly("a", "b");

    assertThat(run(Map.of(), "--name", "a,b")).isEqualTo(2);
    assertThat(err.toString()).contains("--name must be a queue name, got \"a,b\"");
  }

  @Test
  void listVariable_badItem_isNamed() {
    assertThat(run(Map.of("DQ_NAMES", "a,b/c"))).isEqualTo(2);

    assertThat(err.toString().strip()).isEqualTo("DQ_NAMES must be a queue name, got \"b/c\"");
  }

  @Test
  void help_withBadVariable_isPrinted_andShowsTheRowsDefault() {
    assertThat(run(Map.of("DQ_COUNT", "abc", "DQ_WAIT", "1s"), "--help")).isZero();

    assertThat(out.toString()).contains("How many (env DQ_COUNT, default 1).", "default 5s");
    assertThat(err.toString()).isEmpty();
  }
}
