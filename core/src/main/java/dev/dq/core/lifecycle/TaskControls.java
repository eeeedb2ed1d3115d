package dev.dq.core.lifecycle;

import dev.dq.core.task.TaskId;

/**
 * Operating one live task by id: running a waiting one now, and deleting one. Offered by brokers as
 * an optional capability (ask with {@code broker instanceof TaskControls controls}); {@code dq task
 * retry}, {@code dq task delete} and the dashboard's task page use it.
 *
 * <p><b>Contract.</b> Each call is atomic for its task: it either finds the task in one state and
 * acts, or changes nothing; a worker's claim of the same task happens wholly before or after it. It
 * costs O(1) or O(log n) in the queue's size, except taking a ready task out of its level's list,
 * which costs that list's length (as a cancel of a ready task does).
 *
 * <ul>
 *   <li>{@link #runNow}: a delayed or retrying task becomes ready at once, at the tail of its
 *       priority level, keeping its attempt count, priority, headers and payload. A task held back
 *       by a type limit stays governed by that limit; a paused queue stays paused.
 *   <li>{@link #delete}: a waiting task (ready at any level, held back by a limit, delayed,
 *       retrying) is removed entirely, as if it had never been enqueued: no dequeue hands it out,
 *       {@link TaskLookup#find} does not know it, it counts nowhere, and the unique key it took is
 *       free at once (even within its window). The record of a finished task (succeeded, cancelled)
 *       is deleted from history (a unique key it took stays held for the rest of its window, as
 *       when retention trims it). No record is written for a deleted task: an {@code await} on it
 *       waits until its own timeout. A running task (a lease that expired but was not reclaimed yet
 *       counts as running) is refused: cancel it instead ({@link TaskCancels}). Dead letters are
 *       deleted through {@link dev.dq.core.port.DeadLetterQueue#delete}, not here.
 * </ul>
 *
 * <p>Both are safe to repeat after an unknown outcome (a connection failure): the repeat answers
 * what the first try did where the broker can tell.
 *
 * <p>Thread-safe, like the broker.
 */
public interface TaskControls {

  /**
   * Makes the delayed or retrying task {@code id} of {@code queue} ready now.
   *
   * @param queue the task's queue
   * @param id the task's id
   * @return what happened
   * @throws dev.dq.core.task.InvalidTaskException {@code queue} is not a valid queue name
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached; the task
   *     may or may not be ready now (asking again is safe)
   * @throws dev.dq.core.port.BrokerFullException the broker is out of memory (Redis at {@code
   *     maxmemory}): making work ready is refused, as an enqueue is; nothing changed
   */
  RunNowOutcome runNow(String queue, TaskId id);

  /**
   * Deletes task {@code id} of {@code queue} if it waits, or its record if it finished.
   *
   * @param queue the task's queue
   * @param id the task's id
   * @return what happened
   * @throws dev.dq.core.task.InvalidTaskException {@code queue} is not a valid queue name
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached; the task
   *     may or may not be deleted (asking again is safe). A delete only frees memory, so it works
   *     even when the broker is out of memory.
   */
  DeleteOutcome delete(String queue, TaskId id);
}
