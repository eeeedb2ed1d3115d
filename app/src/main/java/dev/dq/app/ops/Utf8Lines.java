package dev.dq.app.ops;

import dev.dq.app.config.CommandFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines of strict UTF-8 from a stream, one at a time. A line that is not valid UTF-8 is
 * reported with its number instead of being decoded with U+FFFD replacements, so that no byte is
 * ever changed silently; decoding line by line (not in read-ahead chunks) is what lets the error
 * name the right line. A line ends at {@code \n}, and a {@code \r} before it is dropped.
 */
final class Utf8Lines {
  private final InputStream in;
  private final int maxLineBytes;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] chunk = new byte[64 * 1024];
  private int chunkStart;
  private int chunkEnd;
  private byte[] line = new byte[1024];
  private int lineLength;
  private int number;

  /**
   * @param maxLineBytes longest line accepted, so that one huge line cannot exhaust the heap
   */
  Utf8Lines(InputStream in, int maxLineBytes) {
    this.in = in;
    this.maxLineBytes = maxLineBytes;
  }

  /** Number of the line last returned, from 1. */
  int number() {
    return number;
  }

  /**
   * The next line, or null at the end of the stream.
   *
   * @throws CommandFailedException the line is not valid UTF-8 or is longer than the limit
   */
  String next() throws IOException {
    lineLength = 0;
    boolean any = false;
    while (true) {
      if (chunkStart == chunkEnd) {
        chunkEnd = in.read(chunk);
        chunkStart = 0;
        if (chunkEnd <= 0) {
          chunkEnd = 0;
          return any ? decode() : null;
        }
      }
      any = true;
      int end = chunkStart;
      while (end < chunkEnd && chunk[end] != '\n') {
        end++;
      }
      append(end - chunkStart);
      boolean found = end < chunkEnd;
      chunkStart = found ? end + 1 : end;
      if (found) {
        return decode();
      }
    }
  }

  private void append(int n) {
    if (lineLength + n > maxLineBytes) {
      throw new CommandFailedException(
          "stdin line "
              + (number + 1)
              + ": longer than "
              + maxLineBytes
              + " bytes, more than any valid task; nothing was published");
    }
    if (lineLength + n > line.length) {
      line = Arrays.copyOf(line, Math.max(lineLength + n, Math.min(maxLineBytes, line.length * 2)));
    }
    System.arraycopy(chunk, chunkStart, line, lineLength, n);
    lineLength += n;
  }

  private String decode() {
    number++;
    int length = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
    try {
      return decoder.decode(ByteBuffer.wrap(line, 0, length)).toString();
    } catch (CharacterCodingException e) {
      throw new CommandFailedException(
          "stdin line "
              + number
              + ": not valid UTF-8 (JSON text must be UTF-8); nothing was published");
    }
  }
}
