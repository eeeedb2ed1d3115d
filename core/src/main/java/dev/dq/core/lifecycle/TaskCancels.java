package dev.dq.core.lifecycle;

import dev.dq.core.port.Lease;
import dev.dq.core.task.TaskId;
import java.util.Collection;
import java.util.Set;

/**
 * Cancelling tasks, offered by brokers as an optional capability (ask with {@code broker instanceof
 * TaskCancels cancels}).
 *
 * <p><b>Contract.</b> A waiting task (ready, delayed, retrying, held back by a limit) is cancelled
 * at once: no dequeue of any process hands it out afterwards, and it is recorded as {@code
 * CANCELLED}. A running task is marked, durably: its worker learns it through {@link
 * #cancelRequested} and interrupts the handler, then ends the delivery with {@link
 * #settleCancelled}. The mark holds whatever happens to that worker: if its lease expires (the
 * worker died, stopped or lost it), the broker ends the task as {@code CANCELLED} instead of making
 * it ready again, and a retry or release of a marked task ends it as cancelled too. A success acked
 * before the worker noticed the mark stays a success.
 *
 * <p>Thread-safe, like the broker.
 */
public interface TaskCancels {

  /**
   * Cancels task {@code id} of {@code queue}.
   *
   * @param queue the task's queue
   * @param id the task's id
   * @return what happened
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached; the task
   *     may or may not be cancelled (cancelling again is safe)
   */
  CancelOutcome cancel(String queue, TaskId id);

  /**
   * Which of {@code ids} (tasks this process runs) are marked for cancellation. Worker pools ask
   * this periodically for the tasks they run, one call per queue.
   *
   * @param queue the tasks' queue
   * @param ids the ids to check
   * @return those marked for cancellation
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached
   */
  Set<TaskId> cancelRequested(String queue, Collection<TaskId> ids);

  /**
   * Ends a delivery as {@code CANCELLED}: the task is recorded so, not retried, and forgotten like
   * an acked one.
   *
   * @param lease the lease of the delivery
   * @throws dev.dq.core.port.LeaseLostException the lease is not valid; nothing changed
   */
  void settleCancelled(Lease lease);
}
