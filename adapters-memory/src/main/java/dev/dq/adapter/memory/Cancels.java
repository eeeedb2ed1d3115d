package dev.dq.adapter.memory;

import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The cancel rules of {@link InMemoryBroker} ({@link dev.dq.core.lifecycle.TaskCancels}): a waiting
 * task ends at once, a running one is marked, and a marked delivery that is retried, released or
 * reclaimed ends as cancelled instead. Not thread-safe: called with the {@link Store}'s lock held.
 */
final class Cancels {

  /** Cancels {@code id} of {@code q}: see {@link CancelOutcome}. */
  CancelOutcome cancel(QueueState q, TaskId id, Instant now) {
    if (!q.holds(id)) {
      return q.ended.get(id).isPresent() ? CancelOutcome.ALREADY_ENDED : CancelOutcome.NOT_FOUND;
    }
    if (q.dead(id) != null) {
      return CancelOutcome.ALREADY_ENDED;
    }
    InFlight delivery = q.inFlight(id);
    if (delivery != null && !delivery.expiredAt(now)) {
      q.markCancelled(id);
      return CancelOutcome.REQUESTED;
    }
    if (delivery != null) { // its lease expired: nobody runs it any longer
      end(q, delivery.task(), Optional.of(delivery.leasedAt()), now, true);
      return CancelOutcome.CANCELLED;
    }
    Task waiting = q.removeWaiting(id);
    if (waiting == null) {
      throw new IllegalStateException("task " + id + " is held but neither waiting nor leased");
    }
    end(q, waiting, Optional.empty(), now, false);
    q.notFull.signalAll(); // its slot of capacity is free
    return CancelOutcome.CANCELLED;
  }

  /**
   * Ends {@code delivery} as cancelled if its task is marked: a retry, release or reclaim of a
   * marked task does this instead of queueing it again. The delivery may have left in-flight
   * already (reclaim).
   *
   * @return whether it was marked (and has ended)
   */
  boolean endIfMarked(QueueState q, InFlight delivery, Instant now) {
    if (!q.isMarked(delivery.task().id())) {
      return false;
    }
    end(q, delivery.task(), Optional.of(delivery.leasedAt()), now, true);
    return true;
  }

  /**
   * Forgets {@code task} (in flight or taken out of waiting by the caller) and records it as
   * cancelled.
   *
   * @param ran whether its current attempt ran (else the last attempt made is the one before)
   */
  void end(QueueState q, Task task, Optional<Instant> startedAt, Instant now, boolean ran) {
    q.forget(task.id());
    q.ended.put(
        new TaskInfo(
            task.id(),
            q.name,
            TaskState.CANCELLED,
            task.type(),
            ran ? task.attempt() : task.attempt() - 1,
            task.priority(),
            task.createdAt(),
            Map.of(),
            Optional.empty(),
            startedAt,
            Optional.of(now),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()));
  }
}
