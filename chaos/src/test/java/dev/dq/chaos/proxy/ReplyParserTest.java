package dev.dq.chaos.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ReplyParserTest {
  /** One frame of each RESP2 and RESP3 type, nested ones too; {@code >} frames are pushes. */
  private static final List<String> FRAMES =
      List.of(
          "+OK\r\n",
          "-ERR wrong number of arguments\r\n",
          ":-42\r\n",
          "$5\r\nhello\r\n",
          "$4\r\n\r\n\r\n\r\n", // a bulk string of CRLFs is data, not line ends
          "$0\r\n\r\n",
          "$-1\r\n",
          "*-1\r\n",
          "*0\r\n",
          "*3\r\n$1\r\na\r\n:1\r\n*2\r\n+x\r\n$-1\r\n",
          "_\r\n",
          ",3.14\r\n",
          "#t\r\n",
          "(3492890328409238509324850943850943825024385\r\n",
          "!21\r\nSYNTAX invalid syntax\r\n",
          "=15\r\ntxt:Some string\r\n",
          "%2\r\n+first\r\n:1\r\n+second\r\n*1\r\n~2\r\n:1\r\n:2\r\n",
          "%0\r\n",
          "~1\r\n%1\r\n+k\r\n*0\r\n",
          "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*2\r\n:2039123\r\n:9543892\r\n",
          ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n",
          "*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:10\r\n",
          "*2\r\n|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n>1\r\n+inner\r\n",
          "+last\r\n");

  @Test
  void next_everyTypeInOneRead_endsEachFrameWhereItEnds() {
    assertThat(frames(stream(), stream().length)).isEqualTo(expected());
  }

  @Test
  void next_everyTypeSplitByteByByte_endsEachFrameWhereItEnds() {
    assertThat(frames(stream(), 1)).isEqualTo(expected());
  }

  @Test
  void next_everyTypeInChunksOfEachSize_endsEachFrameWhereItEnds() {
    for (int chunk = 2; chunk < 40; chunk++) {
      assertThat(frames(stream(), chunk)).as("chunks of %d", chunk).isEqualTo(expected());
    }
  }

  @Test
  void atBoundary_insideAFrame_isFalse() {
    ReplyParser parser = new ReplyParser();
    byte[] bytes = "*2\r\n:1\r\n:2\r\n".getBytes(StandardCharsets.US_ASCII);

    assertThat(parser.atBoundary()).isTrue();
    assertThat(parser.next(bytes, 0, 8)).isEqualTo(-1);
    assertThat(parser.atBoundary()).isFalse();
    assertThat(parser.next(bytes, 8, bytes.length)).isEqualTo(bytes.length);
    assertThat(parser.atBoundary()).isTrue();
  }

  @Test
  void next_unknownType_stopsParsing() {
    ReplyParser parser = new ReplyParser();
    byte[] bytes = "+OK\r\n?x\r\n+OK\r\n".getBytes(StandardCharsets.US_ASCII);

    assertThat(parser.next(bytes, 0, bytes.length)).isEqualTo(5);
    assertThat(parser.next(bytes, 5, bytes.length)).isEqualTo(-1);
    assertThat(parser.broken()).isTrue();
  }

  private static byte[] stream() {
    return String.join("", FRAMES).getBytes(StandardCharsets.US_ASCII);
  }

  /** "end offset" or "end offset push", one per frame. */
  private static List<String> expected() {
    List<String> ends = new ArrayList<>();
    int end = 0;
    for (String frame : FRAMES) {
      end += frame.length();
      ends.add(end + (frame.startsWith(">") ? " push" : ""));
    }
    return ends;
  }

  private static List<String> frames(byte[] bytes, int chunk) {
    ReplyParser parser = new ReplyParser();
    List<String> ends = new ArrayList<>();
    for (int from = 0; from < bytes.length; from += chunk) {
      int to = Math.min(bytes.length, from + chunk);
      for (int pos = from, end; pos < to && (end = parser.next(bytes, pos, to)) >= 0; pos = end) {
        ends.add(end + (parser.lastWasPush() ? " push" : ""));
      }
    }
    assertThat(parser.atBoundary()).isTrue();
    return ends;
  }
}
