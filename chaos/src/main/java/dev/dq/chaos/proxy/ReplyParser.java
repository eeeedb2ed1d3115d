package dev.dq.chaos.proxy;

import java.util.Arrays;

/**
 * Finds where each reply ends in the server-to-client byte stream, so a proxy can tell which reply
 * answers which command. Knows every RESP2 and RESP3 type: simple lines ({@code + - : _ , # (}),
 * bulk ones ({@code $ ! =}), aggregates ({@code * ~ % >}) nested to any depth, null bulk strings
 * and arrays, and attributes ({@code |}), which belong to the value that follows them. Bytes may be
 * split across reads anywhere. A RESP3 push frame ({@code >}) is reported as such: it answers no
 * command. Streamed RESP3 values (length {@code ?}), which Redis never sends, stop the parsing.
 *
 * <p>Not thread-safe: one per connection, used by its reply pump only.
 */
final class ReplyParser {
  private enum State {
    TYPE,
    LINE,
    BODY,
    BROKEN
  }

  private final StringBuilder line = new StringBuilder();
  private State state = State.TYPE;
  private byte type;
  private byte frameType;
  private long bodyLeft;

  /** Values still to come in each open aggregate, innermost last. */
  private long[] open = new long[8];

  private int depth;
  private boolean lastWasPush;

  /**
   * Reads {@code buf[from, to)} until a top-level frame ends.
   *
   * @return the index just after the first frame that ends in the range, or -1 if none does: every
   *     byte was consumed
   */
  int next(byte[] buf, int from, int to) {
    int i = from;
    while (i < to) {
      switch (state) {
        case TYPE -> {
          type = buf[i++];
          if (depth == 0) {
            frameType = type;
          }
          line.setLength(0);
          state = "+-:_,#($!=*~%>|".indexOf(type) >= 0 ? State.LINE : State.BROKEN;
        }
        case LINE -> {
          byte b = buf[i++];
          if (b != '\n') {
            line.append((char) (b & 0xff));
          } else if (lineEnded()) {
            return i;
          }
        }
        case BODY -> {
          int n = (int) Math.min(bodyLeft, to - i);
          bodyLeft -= n;
          i += n;
          if (bodyLeft == 0 && valueEnded()) {
            return i;
          }
        }
        case BROKEN -> {
          return -1;
        }
      }
    }
    return -1;
  }

  /** Whether the frame that the last {@link #next} call ended is a RESP3 push (no reply). */
  boolean lastWasPush() {
    return lastWasPush;
  }

  /** Whether the bytes so far end exactly after a frame, not inside one. */
  boolean atBoundary() {
    return state == State.TYPE && depth == 0;
  }

  /** Whether the stream held something this parser does not know; it reports no more frames. */
  boolean broken() {
    return state == State.BROKEN;
  }

  /** Handles a complete header line; returns whether it completed a top-level frame. */
  private boolean lineEnded() {
    if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
      line.setLength(line.length() - 1);
    }
    if ("+-:_,#(".indexOf(type) >= 0) {
      return valueEnded();
    }
    long n = CommandParser.number(line, 0);
    if (n == Long.MIN_VALUE) {
      state = State.BROKEN;
      return false;
    }
    if ("$!=".indexOf(type) >= 0) {
      if (n < 0) {
        return valueEnded(); // null bulk string
      }
      bodyLeft = n + 2; // the bytes and their CRLF
      state = State.BODY;
      return false;
    }
    long values =
        switch (type) {
          case '%' -> 2 * n; // a map: n keys and n values
          case '|' -> 2 * n + 1; // an attribute map, then the value it describes
          default -> n; // * ~ >
        };
    if (values <= 0) {
      return valueEnded(); // empty or null aggregate
    }
    if (depth == open.length) {
      open = Arrays.copyOf(open, depth * 2);
    }
    open[depth++] = values;
    state = State.TYPE;
    return false;
  }

  /** A value is complete: closes the aggregates it completes; returns whether the frame ended. */
  private boolean valueEnded() {
    state = State.TYPE;
    while (depth > 0) {
      if (--open[depth - 1] > 0) {
        return false;
      }
      depth--;
    }
    lastWasPush = frameType == '>';
    return true;
  }
}
