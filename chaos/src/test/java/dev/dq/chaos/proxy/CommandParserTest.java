package dev.dq.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

final class CommandParserTest {

  @Test
  void next_pipelinedArraysSplitByteByByte_findsEachCommandAndItsEnd() {
    byte[] bytes =
        concat(resp("SET", "k", "v"), resp("evalsha", "abc", "1", "key", "arg"), resp("PING"));

    List<String> found = commands(bytes, 1);

    assertThat(found)
        .containsExactly(
            "SET [k, v] @" + resp("SET", "k", "v").length,
            "EVALSHA [abc, 1, key, arg] @" + (bytes.length - resp("PING").length),
            "PING [] @" + bytes.length);
  }

  @Test
  void next_oneMebibyteValueInOddChunks_keepsOnlyItsStart() {
    String big = "x".repeat(1024 * 1024);
    byte[] bytes = concat(resp("SET", "big", big), resp("GET", "big"));

    List<String> found = commands(bytes, 7919);

    assertThat(found)
        .containsExactly(
            "SET [big, " + "x".repeat(Command.MAX_ARG_CHARS) + "] @" + (bytes.length - 22),
            "GET [big] @" + bytes.length);
  }

  @Test
  void next_inlineCommands_areWordsOnALineAndEmptyLinesAreSkipped() {
    byte[] bytes =
        "ping\r\n\r\n  set  a   b \n*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.UTF_8);

    assertThat(commands(bytes, 1)).containsExactly("PING [] @6", "SET [a, b] @22", "PING [] @36");
  }

  @Test
  void next_manyArguments_keepsTheFirstFew() {
    String[] words = new String[20];
    Arrays.fill(words, "a");
    words[0] = "RPUSH";

    Command command = only(resp(words));

    assertThat(command.args()).hasSize(Command.MAX_ARGS);
  }

  @Test
  void next_authAndHello_redactPasswords() {
    assertThat(only(resp("AUTH", "user", "secret")).args()).doesNotContain("user", "secret");
    assertThat(only(resp("HELLO", "3", "AUTH", "user", "secret", "SETNAME", "w")).args())
        .containsExactly("3", "AUTH", "user", "<redacted>", "SETNAME", "w");
  }

  @Test
  void next_emptyArray_isSkippedWithoutACommand() {
    byte[] bytes = concat("*0\r\n".getBytes(StandardCharsets.US_ASCII), resp("PING"));

    assertThat(commands(bytes, 1)).containsExactly("PING [] @" + bytes.length);
  }

  @Test
  void next_arrayOfNonBulkStrings_stopsParsing() {
    CommandParser parser = new CommandParser(1);
    byte[] bytes = concat("*1\r\n+PING\r\n".getBytes(StandardCharsets.US_ASCII), resp("PING"));

    assertThat(parser.next(bytes, 0, bytes.length)).isEqualTo(-1);
    assertThat(parser.broken()).isTrue();
  }

  @Test
  void next_commands_carryTheirConnection() {
    assertThat(new CommandParser(7).next(resp("PING"), 0, 14)).isEqualTo(14);
    CommandParser parser = new CommandParser(7);
    parser.next(resp("PING"), 0, 14);
    assertThat(parser.command()).isEqualTo(new Command("PING", List.of(), 7));
  }

  static byte[] resp(String... args) {
    StringBuilder s = new StringBuilder("*").append(args.length).append("\r\n");
    for (String a : args) {
      s.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
    }
    return s.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static Command only(byte[] bytes) {
    CommandParser parser = new CommandParser(1);
    assertThat(parser.next(bytes, 0, bytes.length)).isEqualTo(bytes.length);
    return parser.command();
  }

  /** "NAME [args] @end" for each command, feeding {@code chunk} bytes at a time. */
  private static List<String> commands(byte[] bytes, int chunk) {
    CommandParser parser = new CommandParser(1);
    List<String> found = new ArrayList<>();
    for (int from = 0; from < bytes.length; from += chunk) {
      int to = Math.min(bytes.length, from + chunk);
      for (int pos = from, end; pos < to && (end = parser.next(bytes, pos, to)) >= 0; pos = end) {
        found.add(parser.command().name() + " " + parser.command().args() + " @" + end);
      }
    }
    assertThat(parser.broken()).isFalse();
    return found;
  }
}
