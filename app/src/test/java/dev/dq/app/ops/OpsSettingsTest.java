package dev.dq.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.app.Cli;
import dev.dq.app.config.Setting;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The rows of publish, dlq and stats: each variable read, named when bad, and beaten by its flag.
 */
final class OpsSettingsTest {
  private final Cli cli = new Cli();

  private Object parsed(Map<String, String> env, String... args) {
    List<CommandLine> commands = cli.commandLine(env, "").parseArgs(args).asCommandLineList();
    return commands.get(commands.size() - 1).getCommand();
  }

  @ParameterizedTest(name = "{0}={1} {3}")
  @CsvSource({
    "DQ_QUEUE, a/b, a/b, publish --type echo",
    "DQ_QUEUE, a/b, a/b, dlq list",
    "DQ_QUEUES, 'a, b/c', b/c, stats",
    "DQ_PUBLISH_COUNT, 0, 0, publish --type echo",
    "DQ_PUBLISH_DELAY, soon, soon, publish --type echo",
    "DQ_PUBLISH_TIMEOUT, 1y, 1y, publish --type echo",
    "DQ_PUBLISH_PRIORITY, 10, 10, publish --type echo",
    "DQ_DLQ_LIMIT, 10001, 10001, dlq list",
    "DQ_DLQ_OFFSET, -1, -1, dlq list",
    "DQ_STATS_INTERVAL, 1ms, 1ms, stats",
  })
  void badVariable_exits2WithOneLineNamingItAndTheValue(
      String variable, String value, String quoted, String args) {
    assertThat(cli.execute(Map.of(variable, value), "", args.split(" "))).isEqualTo(2);

    assertThat(cli.err().lines())
        .singleElement()
        .asString()
        .startsWith("dq: " + variable + " must be ")
        .endsWith("got \"" + quoted + "\"");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void publish_noSettings_usesTheRowsDefaults() {
    PublishCommand publish = (PublishCommand) parsed(Map.of(), "publish", "--type", "echo");

    assertThat(publish.settings())
        .isEqualTo(
            new PublishSettings(
                "default", "echo", null, null, 1, Duration.ZERO, Duration.ofSeconds(5), 5));
  }

  @Test
  void publish_variables_areRead_andFlagsWin() {
    Map<String, String> env =
        Map.of(
            "DQ_QUEUE", "q1",
            "DQ_PUBLISH_COUNT", "3",
            "DQ_PUBLISH_DELAY", "1s",
            "DQ_PUBLISH_TIMEOUT", "250ms",
            "DQ_PUBLISH_PRIORITY", "7");

    PublishCommand fromEnv = (PublishCommand) parsed(env, "publish", "--type", "echo");
    PublishCommand fromFlags =
        (PublishCommand)
            parsed(
                env,
                "publish",
                "--type",
                "echo",
                "--queue",
                "q2",
                "--count",
                "4",
                "--delay",
                "2m",
                "--timeout",
                "0ms",
                "--priority",
                "0");

    assertThat(fromEnv.settings())
        .isEqualTo(
            new PublishSettings(
                "q1", "echo", null, null, 3, Duration.ofSeconds(1), Duration.ofMillis(250), 7));
    assertThat(fromFlags.settings())
        .isEqualTo(
            new PublishSettings(
                "q2", "echo", null, null, 4, Duration.ofMinutes(2), Duration.ZERO, 0));
  }

  @Test
  void publish_countVariableWithoutType_isNoError() {
    String stdin = "{\"type\":\"echo\"}\n";

    assertThat(cli.execute(Map.of("DQ_PUBLISH_COUNT", "5"), stdin, "publish")).isZero();

    assertThat(cli.out().lines()).hasSize(1);
  }

  @Test
  void dlqList_variables_areRead_andFlagsWin() {
    Map<String, String> env = Map.of("DQ_QUEUE", "q1", "DQ_DLQ_LIMIT", "7", "DQ_DLQ_OFFSET", "3");

    DlqCommand.ListCommand fromEnv = (DlqCommand.ListCommand) parsed(env, "dlq", "list");
    DlqCommand.ListCommand fromFlags =
        (DlqCommand.ListCommand)
            parsed(env, "dlq", "list", "--queue", "q2", "--limit", "8", "--offset", "0");
    DlqCommand.ListCommand defaults = (DlqCommand.ListCommand) parsed(Map.of(), "dlq", "list");

    assertThat(List.of(fromEnv.options.queue, fromEnv.limit, fromEnv.offset))
        .containsExactly("q1", 7, 3);
    assertThat(List.of(fromFlags.options.queue, fromFlags.limit, fromFlags.offset))
        .containsExactly("q2", 8, 0);
    assertThat(List.of(defaults.options.queue, defaults.limit, defaults.offset))
        .containsExactly("default", 100, 0);
  }

  @Test
  void stats_variables_areRead_andFlagsWin() {
    Map<String, String> env = Map.of("DQ_QUEUES", "a, b", "DQ_STATS_INTERVAL", "5s");

    StatsCommand fromEnv = (StatsCommand) parsed(env, "stats");
    StatsCommand fromFlags =
        (StatsCommand) parsed(env, "stats", "--queue", "c", "--queue", "d", "--interval", "1m");
    StatsCommand defaults = (StatsCommand) parsed(Map.of(), "stats");

    assertThat(fromEnv.queues).containsExactly("a", "b");
    assertThat(fromEnv.interval).isEqualTo(Duration.ofSeconds(5));
    assertThat(fromFlags.queues).containsExactly("c", "d");
    assertThat(fromFlags.interval).isEqualTo(Duration.ofMinutes(1));
    assertThat(defaults.queues).isNull();
    assertThat(defaults.interval).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void stats_queuesVariableWithDqRunsWeights_readsTheNames() {
    StatsCommand stats = (StatsCommand) parsed(Map.of("DQ_QUEUES", "critical=6, low"), "stats");

    assertThat(stats.queues).containsExactly("critical", "low");
  }

  @Test
  void help_withBadVariables_isPrintedWithTheRowsDefaults() {
    Map<String, String> env = Map.of("DQ_PUBLISH_TIMEOUT", "1y", "DQ_QUEUE", "a/b");

    assertThat(cli.execute(env, "", "publish", "--help")).isZero();

    assertThat(cli.out().replaceAll("\\s+", " "))
        .contains("(env DQ_PUBLISH_TIMEOUT, default 5s)", "(env DQ_QUEUE, default: default)");
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void everyOpsRow_isUsed_andEveryRowOptionsHelpShowsItsDefault() {
    Set<Class<?>> used = new HashSet<>();
    Deque<CommandLine> todo = new ArrayDeque<>(List.of(cli.commandLine(Map.of(), "")));
    while (!todo.isEmpty()) {
      CommandLine cl = todo.pop();
      todo.addAll(cl.getSubcommands().values());
      for (OptionSpec option : cl.getCommandSpec().options()) {
        for (CommandLine.ITypeConverter<?> converter : option.converters()) {
          if (converter instanceof Setting<?> row) {
            if (row.getClass().getEnclosingClass() == OpsSettings.class) {
              used.add(row.getClass());
            }
            if (row.defaultValue() != null) {
              assertThat(String.join(" ", option.description()))
                  .as(option.longestName())
                  .contains(" " + row.defaultValue() + ")");
            }
          }
        }
      }
    }

    assertThat(used).containsExactlyInAnyOrderElementsOf(OpsSettings.ROWS);
  }
}
