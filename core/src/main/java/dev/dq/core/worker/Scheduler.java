package dev.dq.core.worker;

import java.time.Duration;

/**
 * Runs a pool's timed work: the timeout of each running handler, and the periodic jobs (lease
 * renewal, reaping). The pool takes one from {@link WorkerPool.Builder#scheduler}, the way Caffeine
 * takes a {@code Scheduler} and a {@code Ticker}, so that a test can drive the pool's time by hand,
 * with a fake clock, instead of sleeping. The default, {@link #threads}, uses real threads.
 *
 * <p>Contract: thread-safe (workers schedule timeouts while jobs run); a task never runs before its
 * delay has passed on the clock the pool reads; and a run of one periodic job never holds up a
 * one-shot task or another job, since the pool's timeouts must fire while its heartbeat is stuck in
 * a slow broker. Tasks do not throw (the pool's never do).
 */
public interface Scheduler {
  /** A scheduled task or job. */
  interface Handle {
    /** Runs not begun yet will not happen; a run under way is not interrupted. Idempotent. */
    void cancel();
  }

  /**
   * Runs {@code task} once, {@code delay} from now.
   *
   * @param task what to run
   * @param delay how long from now
   * @return a handle that cancels it
   * @throws java.util.concurrent.RejectedExecutionException if the scheduler is shut down
   */
  Handle schedule(Runnable task, Duration delay);

  /**
   * Runs {@code job} first {@code initialDelay} from now, then {@code delay} after each run ends,
   * until cancelled.
   *
   * @param name what the job is ("heartbeat", "reaper"), for thread names and diagnostics
   * @param job what to run
   * @param initialDelay how long from now the first run starts
   * @param delay how long after each run ends the next starts
   * @return a handle that cancels the job
   */
  Handle scheduleWithFixedDelay(String name, Runnable job, Duration initialDelay, Duration delay);

  /**
   * Real threads, named after {@code prefix}: one-shot tasks on a timer of their own (two threads,
   * so one slow timeout handling never delays the next), and each periodic job on a thread of its
   * own.
   *
   * @param prefix start of the threads' names
   * @return the scheduler
   */
  static Scheduler threads(String prefix) {
    return new ThreadScheduler(prefix);
  }
}
