package dev.dq.adapter.memory;

import dev.dq.core.lifecycle.DeleteOutcome;
import dev.dq.core.lifecycle.RunNowOutcome;
import dev.dq.core.task.TaskId;
import java.time.Instant;

/**
 * The run-now and delete rules of {@link InMemoryBroker} ({@link
 * dev.dq.core.lifecycle.TaskControls}). Not thread-safe: called with the {@link Store}'s lock held.
 */
final class Controls {
  private Controls() {}

  /** Makes the delayed or retrying {@code id} of {@code q} ready: see {@link RunNowOutcome}. */
  static RunNowOutcome runNow(QueueState q, TaskId id) {
    if (!q.holds(id)) {
      return q.ended.get(id).isPresent() ? RunNowOutcome.FINISHED : RunNowOutcome.NOT_FOUND;
    }
    if (q.dead(id) != null) {
      return RunNowOutcome.DEAD;
    }
    if (q.inFlight(id) != null) {
      return RunNowOutcome.RUNNING;
    }
    if (q.delayedUntil(id) == null) {
      return RunNowOutcome.ALREADY_READY;
    }
    q.pushBack(q.removeWaiting(id)); // the same task: attempt, priority and payload unchanged
    q.notEmpty.signalAll();
    return RunNowOutcome.MADE_READY;
  }

  /** Deletes the waiting {@code id} of {@code q}, or its record: see {@link DeleteOutcome}. */
  static DeleteOutcome delete(QueueState q, TaskId id, Instant now) {
    if (!q.holds(id)) {
      if (q.ended.get(id).isEmpty()) {
        return DeleteOutcome.NOT_FOUND;
      }
      q.ended.remove(id);
      q.unique.release(id, now);
      return DeleteOutcome.RECORD_DELETED;
    }
    if (q.dead(id) != null) {
      return DeleteOutcome.DEAD;
    }
    if (q.inFlight(id) != null) {
      return DeleteOutcome.RUNNING;
    }
    q.removeWaiting(id); // null if held but found nowhere: it goes all the same, as on Redis
    q.forget(id);
    q.unique.forget(id);
    q.notFull.signalAll(); // its slot of capacity is free
    return DeleteOutcome.DELETED;
  }
}
