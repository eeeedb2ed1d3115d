package dev.dq.core.worker;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.slf4j.Logger;

/**
 * Logs a repeated problem at most once per interval, with how many were suppressed in between, so a broker outage
 * produces a line every few seconds instead of a flood. Thread-safe.
 */
final class RateLimitedLog {
  private final Logger log;
  private final InstantSource clock;
  private final Duration interval;
  private Instant next = Instant.MIN;
  private long suppressed;

  RateLimitedLog(Logger log, InstantSource clock, Duration interval) {
    this.log = log;
    this.clock = clock;
    this.interval = interval;
  }

  void warn(String what, Throwable error) {
    long skipped;
    synchronized (this) {
      Instant now = clock.instant();
      if (now.isBefore(next)) {
        suppressed++;
        return;
      }
      next = now.plus(interval);
      skipped = suppressed;
      suppressed = 0;
    }
    log.warn("{}: {} ({} similar suppressed)", what, error.toString(), skipped);
  }
}
