package dev.dq.app.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.app.config.CommandFailedException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class Utf8LinesTest {

  private static List<String> all(Utf8Lines lines) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line; (line = lines.next()) != null; ) {
      out.add(line);
    }
    return out;
  }

  private static Utf8Lines of(byte[] bytes, int max) {
    return new Utf8Lines(new ByteArrayInputStream(bytes), max);
  }

  @Test
  void next_crlfAndMissingLastNewline_keepsEveryLineWhole() throws IOException {
    String text = "é€😀\r\n\nlast";

    assertThat(all(of(text.getBytes(StandardCharsets.UTF_8), 100)))
        .containsExactly("é€😀", "", "last");
  }

  @Test
  void next_linesLongerThanTheReadChunk_areJoinedAcrossReads() throws IOException {
    String longLine =
        "ü".repeat(100_000); // 200,000 bytes: spans several reads, a character split between two
    byte[] bytes = (longLine + "\n" + longLine + "\n").getBytes(StandardCharsets.UTF_8);

    assertThat(all(of(bytes, 1 << 20))).containsExactly(longLine, longLine);
  }

  @Test
  void next_invalidUtf8_namesItsLineNotTheOneBeingReadAhead() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes("ok\nok\n".getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(new byte[] {'a', (byte) 0xc3, '\n'}); // a truncated two-byte sequence
    Utf8Lines lines = of(bytes.toByteArray(), 100);

    assertThat(lines.next()).isEqualTo("ok");
    assertThat(lines.next()).isEqualTo("ok");
    assertThatThrownBy(lines::next)
        .isInstanceOf(CommandFailedException.class)
        .hasMessageStartingWith("stdin line 3: not valid UTF-8");
  }

  @Test
  void next_lineOverTheLimit_isRejectedNamingIt() {
    byte[] bytes = ("short\n" + "x".repeat(11) + "\n").getBytes(StandardCharsets.UTF_8);
    Utf8Lines lines = of(bytes, 10);

    assertThatThrownBy(() -> all(lines))
        .isInstanceOf(CommandFailedException.class)
        .hasMessageStartingWith("stdin line 2: longer than 10 bytes");
  }
}
