package dev.dq.core.ops;

/**
 * Counts of finished attempts, added to a queue's history by {@link Throughput#record}.
 *
 * @param processed attempts that succeeded
 * @param failed attempts that failed (retried later or dead-lettered)
 * @param dead tasks moved to the dead-letter queue (each also counted as failed)
 */
public record ThroughputCounts(long processed, long failed, long dead) {
  /** No attempts. */
  public static final ThroughputCounts NONE = new ThroughputCounts(0, 0, 0);

  /**
   * Checks that no count is negative.
   *
   * @param processed attempts that succeeded
   * @param failed attempts that failed (retried later or dead-lettered)
   * @param dead tasks moved to the dead-letter queue (each also counted as failed)
   * @throws IllegalArgumentException a count is negative
   */
  public ThroughputCounts {
    if (processed < 0 || failed < 0 || dead < 0) {
      throw new IllegalArgumentException(
          "negative count: " + processed + "/" + failed + "/" + dead);
    }
  }

  /**
   * Whether every count is zero.
   *
   * @return true if nothing is counted
   */
  public boolean isEmpty() {
    return processed == 0 && failed == 0 && dead == 0;
  }

  /**
   * These counts plus {@code other}'s.
   *
   * @param other counts to add
   * @return the sums
   */
  public ThroughputCounts plus(ThroughputCounts other) {
    return new ThroughputCounts(
        processed + other.processed, failed + other.failed, dead + other.dead);
  }
}
