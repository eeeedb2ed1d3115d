package dev.dq.core.ops;

import dev.dq.core.lifecycle.TaskState;

/**
 * Pages through a queue's tasks by state, offered by brokers as an optional capability (ask with
 * {@code broker instanceof TaskBrowser browser}).
 *
 * <p><b>Contract.</b> Each state names a listing, served from the broker's own structures with work
 * in proportion to the page, never reading a whole queue:
 *
 * <ul>
 *   <li>{@code READY}: the ready tasks in the order they would be claimed, highest priority first,
 *       oldest first within a priority (tasks held back by a type limit are not listed);
 *   <li>{@code DELAYED} and {@code RETRYING}: one listing, "scheduled": every task waiting for its
 *       time, soonest first, each with its own state ({@code DELAYED} or {@code RETRYING}); the
 *       broker keeps them in one structure, so a page of only one of them cannot be cut exactly;
 *   <li>{@code ACTIVE}: the tasks leased to workers, the lease that expires first first;
 *   <li>{@code DEAD}: the dead-letter queue, oldest death first;
 *   <li>{@code SUCCEEDED} and {@code CANCELLED}: one listing, "finished": the records kept by the
 *       queue's retention, newest first, each with its own state.
 * </ul>
 *
 * <p>{@link TaskPage#total} is the listing's size when the page was read. Tasks move while one
 * pages: an entry shows the task's state when it was looked up, which may differ from the listing's
 * (it was claimed meanwhile), and a task that ended and was trimmed between the two steps is left
 * out, so a page may hold fewer than {@code limit} entries before the end.
 *
 * <p>Thread-safe.
 */
public interface TaskBrowser {
  /** Most tasks one page holds. */
  int MAX_LIMIT = 500;

  /**
   * One page of {@code queue}'s listing of {@code state}.
   *
   * @param queue the queue
   * @param state which listing (see the class comment)
   * @param offset how many entries of the listing to skip; not negative
   * @param limit most entries to return, 1..{@link #MAX_LIMIT}
   * @return the page and the listing's size
   * @throws IllegalArgumentException {@code offset} is negative or {@code limit} out of range
   * @throws dev.dq.core.task.InvalidTaskException {@code queue} is not a valid queue name
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached
   */
  TaskPage list(String queue, TaskState state, long offset, int limit);

  /**
   * Checks {@link #list}'s {@code offset} and {@code limit}.
   *
   * @param offset entries to skip
   * @param limit most entries
   * @throws IllegalArgumentException {@code offset} is negative or {@code limit} out of range
   */
  static void checkPage(long offset, int limit) {
    if (offset < 0) {
      throw new IllegalArgumentException("negative offset: " + offset);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ": " + limit);
    }
  }
}
