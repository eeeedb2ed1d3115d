package dev.dq.core.lifecycle;

import dev.dq.core.task.Task;
import java.time.Duration;

/**
 * Enqueueing a task once per unique key, offered by brokers as an optional capability (ask with
 * {@code broker instanceof UniqueTasks unique}).
 *
 * <p><b>Contract.</b> The check and the enqueue are one atomic step, across every process on the
 * broker: of concurrent enqueues with one key, exactly one enqueues. A key is held by the task that
 * took it while that task is held and has not died (waiting or running), and, with a {@link
 * UniqueKey#window() window}, also until the window has passed, whatever became of the task. Only
 * that task's state releases it, so a later holder is never released by an earlier one; a key whose
 * task is gone (ended, trimmed, its queue deleted) and whose window, if any, has passed is taken
 * over by the next enqueue. The task id stays the task's only identity: the broker's own retries of
 * a call whose reply was lost store the task once.
 *
 * <p>Thread-safe, like the broker.
 */
public interface UniqueTasks {

  /**
   * Enqueues {@code task} unless {@code key} is held in its queue.
   *
   * @param task the task
   * @param key its unique key
   * @param delay how long after its arrival (broker's clock) it becomes ready; zero: at once
   * @param timeout how long to wait for room, as {@link dev.dq.core.port.Broker#enqueue}
   * @return the id of the task that holds the key, and whether this call enqueued it
   * @throws InterruptedException interrupted while waiting; nothing was enqueued
   * @throws dev.dq.core.port.QueueFullException as {@link dev.dq.core.port.Broker#enqueue}
   * @throws dev.dq.core.port.DuplicateTaskException the task's id is held already (by a task
   *     without this key)
   */
  UniqueOutcome enqueueUnique(Task task, UniqueKey key, Duration delay, Duration timeout)
      throws InterruptedException;
}
