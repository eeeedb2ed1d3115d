package dev.dq.chaos.ledger;

import java.util.Optional;

/**
 * One line of the ledger: what a producer or a worker did to one task id, when (epoch millis on
 * this machine's clock, shared by every process the harness starts), and by which process.
 *
 * @param kind what happened
 * @param id the task id
 * @param attempt the attempt the worker saw (0 for producer entries)
 * @param pid the process that wrote the line
 * @param atMillis when, in epoch milliseconds
 */
public record LedgerEntry(Kind kind, String id, int attempt, long pid, long atMillis) {

  /** What a line records. */
  public enum Kind {
    /** A producer is about to enqueue the id. */
    ATTEMPTED('A'),
    /** The enqueue returned normally: the broker accepted the task. */
    ACKNOWLEDGED('K'),
    /** The enqueue failed in a way that leaves its outcome unknown (the task may exist). */
    UNKNOWN('U'),
    /** The enqueue was refused: the task does not exist. */
    REJECTED('R'),
    /** A worker's handler started the task. */
    STARTED('S'),
    /** A worker's handler finished the task successfully (the ack follows, or not). */
    FINISHED('E');

    private final char code;

    Kind(char code) {
      this.code = code;
    }

    static Optional<Kind> of(char code) {
      for (Kind k : values()) {
        if (k.code == code) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * Checks the fields.
   *
   * @param kind what happened
   * @param id the task id, without whitespace
   * @param attempt the attempt, >= 0
   * @param pid the writing process
   * @param atMillis when
   */
  public LedgerEntry {
    if (id.isEmpty() || id.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("ledger id must be non-empty without whitespace: " + id);
    }
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must be >= 0: " + attempt);
    }
  }

  /** {@code K id attempt pid at}: one line without its newline. */
  String format() {
    return kind.code + " " + id + " " + attempt + " " + pid + " " + atMillis;
  }

  /**
   * Parses a line {@link #format()} wrote; a torn or foreign line gives empty.
   *
   * @param line one line without its newline
   * @return the entry, or empty
   */
  public static Optional<LedgerEntry> parse(String line) {
    String[] f = line.split(" ");
    if (f.length != 5 || f[0].length() != 1) {
      return Optional.empty();
    }
    Optional<Kind> kind = Kind.of(f[0].charAt(0));
    if (kind.isEmpty() || f[1].isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new LedgerEntry(
              kind.get(),
              f[1],
              Integer.parseInt(f[2]),
              Long.parseLong(f[3]),
              Long.parseLong(f[4])));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
