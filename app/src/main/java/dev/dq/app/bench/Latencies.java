package dev.dq.app.bench;

import java.util.Arrays;

/**
 * Percentiles of recorded latencies (nearest-rank on the sorted samples).
 *
 * @param p50 median, in milliseconds
 */
record Latencies(int samples, double p50, double p90, double p99, double max) {

  /** Summarises {@code nanos} (not modified). */
  public static Latencies of(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return new Latencies(
        sorted.length,
        millis(rank(sorted, 0.50)),
        millis(rank(sorted, 0.90)),
        millis(rank(sorted, 0.99)),
        millis(sorted[sorted.length - 1]));
  }

  private static long rank(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, index)];
  }

  private static double millis(long nanos) {
    return nanos / 1_000_000.0;
  }
}
