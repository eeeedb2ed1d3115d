package dev.dq.core.worker;

import dev.dq.core.port.Failure;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.util.Optional;

/**
 * Something that happened to a task; the pool and {@link Producer} report them to a {@link
 * TaskEventListener}.
 */
public sealed interface TaskEvent {
  /**
   * The task the event is about.
   *
   * @return the task
   */
  Task task();

  /** Accepted by the broker. */
  record Enqueued(Task task) implements TaskEvent {}

  /**
   * Not enqueued: its unique key is held by task {@code existing} (see {@link
   * Producer#publishUnique}).
   *
   * @param task the task that was not enqueued
   * @param existing the id of the task that holds the key
   */
  record UniqueHit(Task task, TaskId existing) implements TaskEvent {}

  /**
   * A handler started on it; {@code queueWait} is from creation to start (producer's and pool's
   * clocks).
   */
  record Started(Task task, String worker, Duration queueWait) implements TaskEvent {}

  /**
   * The attempt succeeded; {@code duration} is the handler's run time; {@code hasResult} tells
   * whether its handler returned a result, which the broker stored with the task's record.
   */
  record Succeeded(Task task, String worker, Duration duration, boolean hasResult)
      implements TaskEvent {
    /**
     * A success whose handler returned no result.
     *
     * @param task the task
     * @param worker the worker thread that ran it
     * @param duration the handler's run time
     */
    public Succeeded(Task task, String worker, Duration duration) {
      this(task, worker, duration, false);
    }
  }

  /**
   * The attempt failed. {@code retryIn} is present when another attempt is scheduled; when empty, a
   * {@link DeadLettered} follows.
   */
  record Failed(
      Task task,
      String worker,
      Duration duration,
      String errorType,
      String message,
      Optional<Duration> retryIn)
      implements TaskEvent {}

  /** The handler overran its timeout and was interrupted; a {@link Failed} follows. */
  record TimedOut(Task task, String worker, Duration timeout) implements TaskEvent {}

  /** Moved to the dead-letter queue with {@code failure}. */
  record DeadLettered(Task task, Failure failure) implements TaskEvent {}

  /**
   * Handed back to the broker without spending an attempt (shutdown, or its type was saturated).
   */
  record Released(Task task, String reason) implements TaskEvent {}

  /**
   * The task was cancelled ({@link dev.dq.core.lifecycle.TaskCancels}) while this pool held it: a
   * claimed task did not start, a running handler was interrupted; either way the delivery ended as
   * cancelled, with no retry. {@code worker} is the thread that ran it, or the pool's name if it
   * had not started.
   */
  record Cancelled(Task task, String worker) implements TaskEvent {}

  /**
   * This delivery's lease was lost: another delivery may own the task now. Emitted once per
   * delivery, by whoever finds out first: {@code operation} "renew" when the heartbeat found the
   * lease expired while the pool held the task (the handler's late result is then not settled),
   * else the settle that was refused ("ack", "fail", "release", "dead-letter"); "ack" also when an
   * ack got no answer before the lease certainly expired.
   */
  record LeaseLost(Task task, String operation) implements TaskEvent {}
}
