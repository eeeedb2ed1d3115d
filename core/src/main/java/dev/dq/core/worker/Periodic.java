package dev.dq.core.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one of a pool's periodic jobs (heartbeat, reaper) so that no throwable ends it: a scheduled
 * task that throws is never run again by the default {@link Scheduler} ({@link
 * java.util.concurrent.ScheduledExecutorService#scheduleWithFixedDelay}), which would stop lease
 * renewal for good, silently. Every failed run is counted, logged (rate-limited) and reflected in
 * {@link #healthy} for a while.
 */
final class Periodic implements Runnable {
  /** One run of the job. */
  @FunctionalInterface
  interface Job {
    /**
     * @return false if part of the run failed (the job logged why)
     */
    boolean runOnce();
  }

  private final String name;
  private final Job job;
  private final PoolServices services;
  private final RateLimitedLog errors;
  private final Duration staleAfter;
  private final AtomicLong failures = new AtomicLong();
  private volatile Instant lastFailure = Instant.MIN;
  private volatile Instant lastSuccess;

  /**
   * @param staleAfter how long a failed run counts as unhealthy, and how long without a successful
   *     run does too (so that a run stuck in the broker is seen, not only one that failed)
   */
  Periodic(
      String name, Job job, PoolServices services, RateLimitedLog errors, Duration staleAfter) {
    this.name = name;
    this.job = job;
    this.services = services;
    this.errors = errors;
    this.staleAfter = staleAfter;
    this.lastSuccess = services.clock().instant();
  }

  /** The pool starts: time without a successful run counts from now. */
  void starting() {
    lastSuccess = services.clock().instant();
  }

  @Override
  public void run() {
    boolean ok = false;
    try {
      ok = job.runOnce();
    } catch (
        Throwable unexpected) { // errors included: whatever it was, the next run must still happen
      errors.error(name + " failed; it runs again at its next turn", unexpected);
    }
    if (ok) {
      lastSuccess = services.clock().instant();
    } else {
      failures.incrementAndGet();
      lastFailure = services.clock().instant();
    }
  }

  /** Runs that failed, in part or whole, since the pool started. */
  long failures() {
    return failures.get();
  }

  /**
   * False if a run failed within {@code staleAfter} (a run with nothing to do does not clear it:
   * with leases, a failing renewal may just have given up the last held task), or none has
   * succeeded for that long.
   */
  boolean healthy() {
    Instant now = services.clock().instant();
    return now.isAfter(lastFailure.plus(staleAfter)) && !now.isAfter(lastSuccess.plus(staleAfter));
  }
}
