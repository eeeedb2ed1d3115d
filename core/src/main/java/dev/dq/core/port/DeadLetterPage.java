package dev.dq.core.port;

import java.util.List;
import java.util.Objects;

/**
 * One step of a filtered listing ({@link DeadLetterQueue#find}): the matches among the entries it
 * scanned, oldest death first, and where to go on.
 *
 * @param entries the matching entries, oldest death first
 * @param mark the mark when the page was read, for a bulk action on what the page showed
 * @param nextCursor the cursor that continues after the last entry scanned; pass it back to {@link
 *     DeadLetterQueue#find} for the next page
 * @param end whether the scan reached the newest entry: no further page holds an entry present now
 * @param scanned how many entries this step looked at (matching or not)
 */
public record DeadLetterPage(
    List<DeadLetter> entries, DeadLetterMark mark, String nextCursor, boolean end, int scanned) {
  /**
   * Copies the entries and checks the values.
   *
   * @param entries the matching entries, oldest death first
   * @param mark the mark when the page was read
   * @param nextCursor the cursor after the last entry scanned
   * @param end whether the scan reached the newest entry
   * @param scanned how many entries this step looked at
   * @throws IllegalArgumentException {@code scanned} is negative
   */
  public DeadLetterPage {
    entries = List.copyOf(entries);
    Objects.requireNonNull(mark, "mark");
    Objects.requireNonNull(nextCursor, "nextCursor");
    if (scanned < 0) {
      throw new IllegalArgumentException("scanned must be >= 0: " + scanned);
    }
  }

  /**
   * Checks a {@link DeadLetterQueue#find} limit.
   *
   * @param limit most matches to return
   * @return {@code limit}
   * @throws IllegalArgumentException it is not within 1 .. {@link DeadLetterQueue#FIND_LIMIT}
   */
  public static int checkLimit(int limit) {
    if (limit < 1 || limit > DeadLetterQueue.FIND_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be within 1.." + DeadLetterQueue.FIND_LIMIT + ": " + limit);
    }
    return limit;
  }
}
