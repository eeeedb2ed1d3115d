package dev.dq.core.ops;

import java.time.Instant;
import java.util.Objects;

/**
 * The counts of one minute of a queue's history.
 *
 * @param minute the start of the minute (broker's clock, whole minutes since the epoch)
 * @param counts what finished in it
 */
public record ThroughputPoint(Instant minute, ThroughputCounts counts) {
  /**
   * Checks that every component is present.
   *
   * @param minute the start of the minute (broker's clock, whole minutes since the epoch)
   * @param counts what finished in it
   * @throws NullPointerException a component is null
   */
  public ThroughputPoint {
    Objects.requireNonNull(minute, "minute");
    Objects.requireNonNull(counts, "counts");
  }
}
