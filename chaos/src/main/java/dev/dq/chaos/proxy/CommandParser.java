package dev.dq.chaos.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the commands in the client-to-server byte stream: RESP arrays of bulk strings, pipelined
 * and split across reads at any byte, and inline commands (a line of words, as {@code redis-cli} or
 * telnet send). Keeps only the name and the first few arguments, each cut short, so a 1 MiB value
 * costs no memory. On bytes Redis itself would reject it stops parsing for good: Redis answers such
 * a client with an error and closes it.
 *
 * <p>Not thread-safe: one per connection, used by its request pump only.
 */
final class CommandParser {
  /** Redis's own limits: an inline line of 64 KiB, 1M arguments, a 512 MiB bulk string. */
  private static final int MAX_LINE = 64 * 1024;

  private static final long MAX_ARRAY = 1024 * 1024;
  private static final long MAX_BULK = 512L * 1024 * 1024;
  private static final String REDACTED = "<redacted>";

  private enum State {
    START,
    ARRAY_HEADER,
    BULK_HEADER,
    BULK,
    BULK_END,
    INLINE,
    BROKEN
  }

  private final long connection;
  private final StringBuilder line = new StringBuilder();
  private final StringBuilder arg = new StringBuilder();
  private final List<String> parts = new ArrayList<>();
  private State state = State.START;
  private long argsLeft;
  private long bulkLeft;
  private int crlfLeft;
  private Command command;

  CommandParser(long connection) {
    this.connection = connection;
  }

  /**
   * Reads {@code buf[from, to)} until a command ends.
   *
   * @return the index just after the first command that ends in the range (then {@link #command()}
   *     is that command), or -1 if none does: every byte was consumed
   */
  int next(byte[] buf, int from, int to) {
    int i = from;
    while (i < to) {
      switch (state) {
        case START -> {
          line.setLength(0);
          if (buf[i] == '*') {
            state = State.ARRAY_HEADER;
            i++;
          } else {
            state = State.INLINE;
          }
        }
        case ARRAY_HEADER, BULK_HEADER, INLINE -> {
          byte b = buf[i++];
          if (b != '\n') {
            appendToLine(b);
          } else {
            boolean ended = lineEnded();
            line.setLength(0);
            if (ended) {
              return i;
            }
          }
        }
        case BULK -> {
          int n = (int) Math.min(bulkLeft, to - i);
          keep(buf, i, n);
          bulkLeft -= n;
          i += n;
          if (bulkLeft == 0) {
            state = State.BULK_END;
            crlfLeft = 2;
          }
        }
        case BULK_END -> {
          i++;
          if (--crlfLeft == 0 && argEnded()) {
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

  /** The command that the last {@link #next} call that returned an index found. */
  Command command() {
    return command;
  }

  /** Whether the stream held something Redis would reject, so no more commands are reported. */
  boolean broken() {
    return state == State.BROKEN;
  }

  private void appendToLine(byte b) {
    if (line.length() >= MAX_LINE) {
      state = State.BROKEN;
    } else {
      line.append((char) (b & 0xff));
    }
  }

  /** Handles a complete line; returns whether it completed a command. */
  private boolean lineEnded() {
    if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
      line.setLength(line.length() - 1);
    }
    switch (state) {
      case ARRAY_HEADER -> {
        long n = number(line, 0);
        if (n > MAX_ARRAY || n == Long.MIN_VALUE) {
          state = State.BROKEN;
        } else if (n <= 0) {
          state = State.START; // Redis skips an empty array without a reply
        } else {
          parts.clear();
          argsLeft = n;
          state = State.BULK_HEADER;
        }
        return false;
      }
      case BULK_HEADER -> {
        long n = line.length() > 0 && line.charAt(0) == '$' ? number(line, 1) : -1;
        if (n < 0 || n > MAX_BULK) {
          state = State.BROKEN;
          return false;
        }
        arg.setLength(0);
        bulkLeft = n;
        state = State.BULK;
        if (n == 0) {
          state = State.BULK_END;
          crlfLeft = 2;
        }
        return false;
      }
      default -> {
        return inlineEnded();
      }
    }
  }

  private boolean inlineEnded() {
    state = State.START;
    String[] words = line.toString().trim().split("\\s+");
    if (words[0].isEmpty()) {
      return false; // an empty line: Redis ignores it, without a reply
    }
    parts.clear();
    for (String w : words) {
      if (parts.size() > Command.MAX_ARGS) {
        break;
      }
      parts.add(w.length() > Command.MAX_ARG_CHARS ? w.substring(0, Command.MAX_ARG_CHARS) : w);
    }
    command = build();
    return true;
  }

  private void keep(byte[] buf, int from, int n) {
    if (parts.size() > Command.MAX_ARGS) {
      return;
    }
    int keep = Math.min(n, Command.MAX_ARG_CHARS - arg.length());
    for (int j = 0; j < keep; j++) {
      arg.append((char) (buf[from + j] & 0xff));
    }
  }

  /** Handles the end of a bulk string; returns whether it completed a command. */
  private boolean argEnded() {
    if (parts.size() <= Command.MAX_ARGS) {
      parts.add(arg.toString());
    }
    if (--argsLeft > 0) {
      state = State.BULK_HEADER;
      return false;
    }
    state = State.START;
    command = build();
    return true;
  }

  private Command build() {
    String name = parts.get(0).toUpperCase(Locale.ROOT);
    List<String> args = new ArrayList<>(parts.subList(1, parts.size()));
    redactSecrets(name, args);
    return new Command(name, args, connection);
  }

  /** Commands end up in logs: AUTH's arguments and HELLO's password never do. */
  private static void redactSecrets(String name, List<String> args) {
    if (name.equals("AUTH")) {
      args.replaceAll(a -> REDACTED);
    } else if (name.equals("HELLO")) {
      for (int i = 0; i + 2 < args.size(); i++) {
        if (args.get(i).equalsIgnoreCase("AUTH")) {
          args.set(i + 2, REDACTED);
        }
      }
    }
  }

  /**
   * The decimal number in {@code s} from {@code start}, or {@link Long#MIN_VALUE} if it is not one.
   */
  static long number(CharSequence s, int start) {
    if (start >= s.length() || s.length() - start > 19) {
      return Long.MIN_VALUE;
    }
    boolean negative = s.charAt(start) == '-';
    int i = negative ? start + 1 : start;
    if (i == s.length()) {
      return Long.MIN_VALUE;
    }
    long n = 0;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return Long.MIN_VALUE;
      }
      n = n * 10 + (c - '0');
    }
    return negative ? -n : n;
  }
}
