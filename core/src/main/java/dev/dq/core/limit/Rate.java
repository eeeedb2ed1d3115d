package dev.dq.core.limit;

import java.time.Duration;
import java.util.Objects;

/**
 * At most {@code permits} task starts per {@code per}, spread evenly (GCRA, a token bucket on the
 * broker's clock): starts are admitted one {@link #interval()} apart, and up to {@code burst} more
 * may start at once after a quiet spell. So any window of length {@code per} sees at most {@code
 * permits + burst} starts; there is no fixed window whose edge lets {@code 2 * permits} through.
 *
 * @param permits starts per {@code per}, at least 1
 * @param per the interval, at least 1 ms and at most 1 day
 * @param burst extra starts allowed at once, at least 0
 */
public record Rate(long permits, Duration per, long burst) {
  private static final Duration LONGEST = Duration.ofDays(1);

  /**
   * Checks the values.
   *
   * @param permits starts per interval
   * @param per the interval
   * @param burst extra starts allowed at once
   * @throws IllegalArgumentException a value is out of range; the message names it
   */
  public Rate {
    Objects.requireNonNull(per, "per");
    if (permits < 1) {
      throw new IllegalArgumentException("rate must be >= 1 per interval: " + permits);
    }
    if (per.toMillis() < 1 || per.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException("rate interval must be 1ms..1d: " + per);
    }
    if (burst < 0) {
      throw new IllegalArgumentException("burst must be >= 0: " + burst);
    }
    if (permits > per.toMillis() * 1000) {
      throw new IllegalArgumentException(
          "rate must be at most 1000 per millisecond: " + permits + " per " + per);
    }
  }

  /**
   * The spacing of starts at the steady rate: {@code per / permits}.
   *
   * @return the emission interval, in microseconds
   */
  public long intervalMicros() {
    return per.toNanos() / 1000 / permits;
  }

  /**
   * The spacing of starts at the steady rate.
   *
   * @return {@code per / permits}
   */
  public Duration interval() {
    return Duration.ofNanos(intervalMicros() * 1000);
  }

  /**
   * The rate as the CLI writes it: {@code 50/1s}, with {@code burst 5} appended when not zero.
   *
   * @return the text
   */
  @Override
  public String toString() {
    String p = per.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    return permits + "/" + p + (burst == 0 ? "" : " burst " + burst);
  }
}
