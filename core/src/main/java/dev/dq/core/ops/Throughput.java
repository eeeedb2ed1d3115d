package dev.dq.core.ops;

import java.util.List;

/**
 * Per-queue, per-minute counts of finished attempts for the last {@link #MAX_MINUTES} minutes, kept
 * in the broker so that every process shows the same history, including work done before it
 * started. Offered as an optional capability (ask with {@code broker instanceof Throughput t}).
 *
 * <p><b>Contract.</b> {@link #record} adds counts to the current minute of the broker's clock.
 * {@link #history} returns one point per minute, oldest first, ending with the current minute,
 * zeros where nothing was recorded; minutes older than {@link #MAX_MINUTES} are forgotten (the
 * broker keeps a bounded amount per queue). A {@link dev.dq.core.worker.WorkerPool} counts its
 * attempts locally and records them every few seconds per queue, so a process that is killed loses
 * the counts of its last few seconds, and counts land in the minute of the flush, not of the
 * attempt.
 *
 * <p>Thread-safe.
 */
public interface Throughput {
  /** How many minutes of history a broker keeps and {@link #history} returns at most. */
  int MAX_MINUTES = 60;

  /**
   * Adds {@code counts} to {@code queue}'s current minute.
   *
   * @param queue the queue the attempts were of
   * @param counts what finished
   * @throws dev.dq.core.task.InvalidTaskException {@code queue} is not a valid queue name
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached (the counts
   *     may or may not have been added)
   */
  void record(String queue, ThroughputCounts counts);

  /**
   * The last {@code minutes} minutes of {@code queue}'s history.
   *
   * @param queue the queue
   * @param minutes how many, 1..{@link #MAX_MINUTES}
   * @return exactly {@code minutes} points, oldest first, the last one the current minute
   * @throws IllegalArgumentException {@code minutes} is outside 1..{@link #MAX_MINUTES}
   * @throws dev.dq.core.task.InvalidTaskException {@code queue} is not a valid queue name
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached
   */
  List<ThroughputPoint> history(String queue, int minutes);

  /**
   * Checks a {@code minutes} argument of {@link #history}.
   *
   * @param minutes the argument
   * @return it
   * @throws IllegalArgumentException it is outside 1..{@link #MAX_MINUTES}
   */
  static int checkMinutes(int minutes) {
    if (minutes < 1 || minutes > MAX_MINUTES) {
      throw new IllegalArgumentException("minutes must be 1.." + MAX_MINUTES + ": " + minutes);
    }
    return minutes;
  }
}
