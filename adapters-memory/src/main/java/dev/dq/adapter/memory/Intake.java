package dev.dq.adapter.memory;

import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.lifecycle.UniqueOutcome;
import dev.dq.core.port.DuplicateTaskException;
import dev.dq.core.port.QueueFullException;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.task.TaskLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The producer side of an {@link InMemoryBroker}: checks tasks, then admits them when their queue
 * has room.
 */
final class Intake {
  private final Store store;
  private final TaskLimits limits;

  Intake(Store store, TaskLimits limits) {
    this.store = store;
    this.limits = limits;
  }

  void checkOpen() {
    store.locked(store::ensureOpen);
  }

  /** Checks that a batch names one queue and could ever fit. */
  void checkBatch(List<Task> batch) {
    String queue = batch.get(0).queue();
    for (Task task : batch) {
      if (!task.queue().equals(queue)) {
        throw new IllegalArgumentException(
            "a batch must name one queue: task "
                + task.id()
                + " is for "
                + task.queue()
                + ", not "
                + queue);
      }
    }
    if (batch.size() > store.capacity) {
      throw new IllegalArgumentException(
          "batch of "
              + batch.size()
              + " tasks can never fit queue "
              + queue
              + " of capacity "
              + store.capacity);
    }
  }

  /**
   * Adds {@code batch}, all on one queue, all or nothing, waiting up to {@code timeout} for room.
   * Every check runs before anything changes, so a failure leaves the queue as it was.
   *
   * @param due when the tasks become ready, from the broker's "now" at the moment they are admitted
   */
  void admit(List<Task> batch, UnaryOperator<Instant> due, Duration timeout)
      throws InterruptedException {
    admit(batch, due, timeout, null);
  }

  /**
   * Adds {@code task} unless {@code key} is held in its queue, checked on every pass under the lock
   * with the write, so of concurrent calls with one key exactly one enqueues.
   *
   * @return the id of the task holding the key, and whether it is this one
   */
  UniqueOutcome admitUnique(Task task, UniqueKey key, Duration delay, Duration timeout)
      throws InterruptedException {
    TaskId holder = admit(List.of(task), now -> now.plus(delay), timeout, key);
    return holder == null ? new UniqueOutcome(task.id(), true) : new UniqueOutcome(holder, false);
  }

  /**
   * @return the task holding {@code unique}'s key if it is held (nothing added), else null
   */
  private TaskId admit(
      List<Task> batch, UnaryOperator<Instant> due, Duration timeout, UniqueKey unique)
      throws InterruptedException {
    long remaining = Store.nanos(Checks.nonNegative("timeout", timeout));
    batch.forEach(limits::check);
    checkNoRepeats(batch);
    store.lock.lockInterruptibly();
    try {
      QueueState q = store.queue(batch.get(0).queue());
      while (true) {
        store.ensureOpen();
        if (unique != null) {
          TaskId holder = q.unique.holder(unique.key(), store.clock.instant(), q::holdsLive);
          if (holder != null) {
            return holder;
          }
        }
        // Checked on every pass: another producer may have added one of these ids while we waited.
        checkNotHeld(q, batch);
        if (q.waiting() + batch.size() <= store.capacity) {
          Instant now = store.clock.instant();
          Instant notBefore = due.apply(now);
          for (Task task : batch) {
            q.accept(task, notBefore, now, store.nextSeq());
          }
          if (unique != null) {
            Task task = batch.get(0);
            q.unique.take(
                unique.key(), task.id(), unique.window().map(now::plus).orElse(null), now);
          }
          q.notEmpty.signalAll();
          return null;
        }
        if (remaining <= 0) {
          throw new QueueFullException(
              "queue "
                  + q.name
                  + ": no room for "
                  + describe(batch)
                  + " within "
                  + timeout
                  + " (capacity "
                  + store.capacity
                  + ")");
        }
        remaining = q.notFull.awaitNanos(remaining);
      }
    } finally {
      store.lock.unlock();
    }
  }

  private static void checkNotHeld(QueueState q, List<Task> batch) {
    for (Task task : batch) {
      if (q.holds(task.id())) {
        throw new DuplicateTaskException(
            "task " + task.id() + ": queue " + q.name + " holds it already");
      }
    }
  }

  private static void checkNoRepeats(List<Task> batch) {
    Set<TaskId> seen = new HashSet<>();
    for (Task task : batch) {
      if (!seen.add(task.id())) {
        throw new DuplicateTaskException("task " + task.id() + ": appears twice in one batch");
      }
    }
  }

  private static String describe(List<Task> batch) {
    return batch.size() == 1
        ? "task " + batch.get(0).id()
        : "a batch of " + batch.size() + " tasks";
  }
}
