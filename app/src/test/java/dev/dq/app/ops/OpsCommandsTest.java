package dev.dq.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.app.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing of publish, dlq and stats: defaults, environment, flags, and the one-line errors. */
final class OpsCommandsTest {
  private final Cli cli = new Cli();

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'publish --type bad!type', --type",
    "'publish --type echo --count 0', --count",
    "'publish --type echo --delay soon', --delay",
    "'publish --type echo --timeout 1y', --timeout",
    "'publish --type echo --priority 10', --priority",
    "'publish --type echo --priority -1', --priority",
    "'publish --type echo --priority high', --priority",
    "'publish --payload x', --type",
    "'publish --type echo --payload x --payload-file /etc/hostname', --payload-file",
    "'publish --type echo --payload-file /no/such/file', --payload-file",
    "'publish --type echo --queue a/b', --queue",
    "'dlq requeue', --all",
    "'dlq requeue a --all', --all",
    "'dlq show bad/id', ID",
    "'dlq list --limit 0', --limit",
    "'dlq list --type mail --offset 3', --offset",
    "'dlq list --error x --limit 1001', --limit",
    "'dlq requeue a --type mail', --type",
    "'stats --interval 1ms', --interval",
    "'stats --queue a/b', --queue",
    "'queue pause a/b', QUEUE",
    "'queue resume a/b', QUEUE",
    "'queue pause q --for soon', --for",
    "'queue pause q --for 0s', --for",
  })
  void badArguments_exit2WithOneLineNamingThem(String args, String named) {
    assertThat(cli.execute(Map.of(), "", args.split(" "))).isEqualTo(2);

    assertThat(cli.err().lines()).singleElement().asString().startsWith("dq: ").contains(named);
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void dlqList_limitAboveMaximum_exits2_andTheReadmeStatesThatMaximum() throws Exception {
    String range = "from 1 to " + DlqCommand.MAX_LIMIT;

    assertThat(cli.execute(Map.of(), "", "dlq", "list", "--limit", "" + (DlqCommand.MAX_LIMIT + 1)))
        .isEqualTo(2);

    assertThat(cli.err().lines())
        .singleElement()
        .asString()
        .startsWith("dq: --limit")
        .contains(range);
    Path readme = Path.of(System.getProperty("basedir", ".")).resolve("../README.md").normalize();
    List<String> lines = Files.readAllLines(readme);
    assertThat(lines)
        .filteredOn(l -> l.startsWith("| `dq dlq list` |"))
        .singleElement()
        .asString()
        .contains(range);
    assertThat(lines)
        .filteredOn(l -> l.startsWith("| `DQ_DLQ_LIMIT`"))
        .singleElement()
        .asString()
        .contains(range);
  }

  @Test
  void publish_noTypeAndEmptyStdin_exits2() {
    assertThat(cli.execute(Map.of(), "", "publish")).isEqualTo(2);

    assertThat(cli.err()).contains("nothing to publish");
  }

  @Test
  void publish_badJsonLine_exits1NamingTheLineAndPublishesNothing() {
    String stdin = "{\"type\":\"echo\"}\n\nnot json\n";

    assertThat(cli.execute(Map.of(), stdin, "publish")).isEqualTo(1);

    assertThat(cli.err()).contains("dq: stdin line 3: not JSON", "nothing was published");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void publish_oversizedPayloadOnStdin_exits1() {
    String stdin = "{\"type\":\"echo\",\"payload\":\"" + "x".repeat((1 << 20) + 1) + "\"}\n";

    assertThat(cli.execute(Map.of(), stdin, "publish")).isEqualTo(1);

    assertThat(cli.err())
        .contains("stdin line 1: ", "exceeds the limit of 1048576 bytes", "nothing was published");
  }

  @Test
  void publish_badPriorityOnStdin_exits1NamingTheLineAndValue() {
    assertThat(
            cli.execute(
                Map.of(), "{\"type\":\"echo\"}\n{\"type\":\"echo\",\"priority\":12}\n", "publish"))
        .isEqualTo(1);
    assertThat(cli.err().lines())
        .singleElement()
        .asString()
        .contains("stdin line 2: ", "priority must be 0..9: 12", "nothing was published");

    assertThat(cli.execute(Map.of(), "{\"type\":\"echo\",\"priority\":\"9\"}\n", "publish"))
        .isEqualTo(1);
    assertThat(cli.err())
        .contains("stdin line 1: \"priority\" must be a whole number 0-9, not a string");
  }

  @Test
  void publish_jsonLines_printsOneIdPerTask() {
    String stdin =
        "{\"type\":\"echo\",\"payload\":\"a\",\"id\":\"t-1\"}\n{\"type\":\"sleep\",\"payload\":{\"ms\":1}}\n";

    assertThat(cli.execute(Map.of(), stdin, "publish")).isZero();

    assertThat(cli.out().lines()).hasSize(2).first().isEqualTo("t-1");
  }

  @Test
  void publish_queueCapacityFlag_limitsTheMemoryBroker() {
    assertThat(
            cli.execute(
                Map.of(),
                "",
                "--queue-capacity",
                "2",
                "publish",
                "--type",
                "echo",
                "--count",
                "3",
                "--timeout",
                "0ms"))
        .isEqualTo(1);

    assertThat(cli.err()).contains("dq: queue default still full after 0ms", "published 2 of 3");
    assertThat(cli.out().lines()).hasSize(2);
  }

  @Test
  void publish_queueCapacityVariable_isUsedAndFlagWins() {
    assertThat(
            cli.execute(
                Map.of("DQ_QUEUE_CAPACITY", "1"),
                "",
                "publish",
                "--type",
                "echo",
                "--count",
                "2",
                "--timeout",
                "0ms"))
        .isEqualTo(1);
    assertThat(
            cli.execute(
                Map.of("DQ_QUEUE_CAPACITY", "1"),
                "",
                "--queue-capacity",
                "5",
                "publish",
                "--type",
                "echo",
                "--count",
                "2",
                "--timeout",
                "0ms"))
        .isZero();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"type\":\"echo\",\"queue\":7}|\"queue\" must be a string, not a number",
        "{\"type\":\"echo\",\"id\":42}|\"id\" must be a string, not a number",
        "{\"type\":\"echo\",\"headers\":[\"a\"]}|\"headers\" must be an object of strings, not an array",
        "{\"type\":\"echo\",\"headers\":{\"on\":true}}|header \"on\" must be a string, not a boolean"
      })
  void publish_nonStringField_exits1NamingItAndPublishesNothing(String line, String message) {
    assertThat(cli.execute(Map.of(), "{\"type\":\"echo\"}\n" + line + "\n", "publish"))
        .isEqualTo(1);

    assertThat(cli.err())
        .startsWith("dq: stdin line 2: " + message)
        .contains("nothing was published");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void publish_quietCount_printsTheCount() {
    assertThat(cli.execute(Map.of(), "", "publish", "--type", "echo", "--count", "1200", "--quiet"))
        .isZero();

    assertThat(cli.out().strip()).isEqualTo("published 1200");
  }
}
