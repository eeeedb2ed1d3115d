package dev.dq.core.worker;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;

/**
 * Logs a repeated problem at most once per interval, with how many were suppressed in between, so a
 * broker outage produces a line every few seconds instead of a flood. Thread-safe. Public so that
 * the app's own broker calls (health checks, gauges, {@code stats --watch}) throttle the same way
 * as the pool.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final InstantSource clock;
  private final Duration interval;
  private Instant next = Instant.MIN;
  private long suppressed;

  /**
   * A log that writes at most one line per {@code interval} to {@code log}.
   *
   * @param log where lines go
   * @param clock the clock the interval is measured on
   * @param interval least time between two lines
   */
  public RateLimitedLog(Logger log, InstantSource clock, Duration interval) {
    this.log = log;
    this.clock = clock;
    this.interval = interval;
  }

  /**
   * Logs {@code what: error} at WARN unless a line was logged less than the interval ago.
   *
   * @param what what failed
   * @param error how
   */
  public void warn(String what, Throwable error) {
    long skipped = admit();
    if (skipped >= 0) {
      log.warn("{}: {} ({} similar suppressed)", what, error.toString(), skipped);
    }
  }

  /**
   * Logs {@code what} and the error's stack trace at ERROR unless a line was logged less than the
   * interval ago.
   *
   * @param what what failed
   * @param error how
   */
  public void error(String what, Throwable error) {
    long skipped = admit();
    if (skipped >= 0) {
      log.error("{} ({} similar suppressed)", what, skipped, error);
    }
  }

  /**
   * @return how many lines were suppressed since the last one, or -1 if this one is suppressed too
   */
  private synchronized long admit() {
    Instant now = clock.instant();
    if (now.isBefore(next)) {
      suppressed++;
      return -1;
    }
    next = now.plus(interval);
    long skipped = suppressed;
    suppressed = 0;
    return skipped;
  }
}
