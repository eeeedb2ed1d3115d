package dev.dq.core.worker;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Accounts worker slots and per-type limits. A poller reserves a slot before it dequeues, so a pool never leases more
 * tasks than it can start. A task whose type is at its limit is parked (deferred) and its slot handed back, so other
 * types keep flowing (no head-of-line blocking); when a task of that type finishes, its slot goes straight to a parked
 * task of the same type.
 */
final class Dispatcher {
  enum Admission {
    RUN,
    DEFERRED,
    OVERFLOW,
    CLOSED
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition slotFreed = lock.newCondition();
  private final Map<String, Integer> limits;
  private final Map<String, Integer> running = new HashMap<>();
  private final Map<String, ArrayDeque<Execution>> deferred = new HashMap<>();
  private final int maxDeferred;
  private int freeSlots;
  private int deferredCount;
  private boolean closed;

  Dispatcher(int slots, Map<String, Integer> limits, int maxDeferred) {
    this.freeSlots = slots;
    this.limits = Map.copyOf(limits);
    this.maxDeferred = maxDeferred;
  }

  /** Waits up to {@code timeout} for a free slot and reserves it. */
  boolean reserveSlot(Duration timeout) throws InterruptedException {
    long nanos = timeout.toNanos();
    lock.lockInterruptibly();
    try {
      while (freeSlots == 0 && !closed) {
        if (nanos <= 0) {
          return false;
        }
        nanos = slotFreed.awaitNanos(nanos);
      }
      if (closed) {
        return false;
      }
      freeSlots--;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Gives back a reserved slot that found no task. */
  void returnSlot() {
    lock.lock();
    try {
      freeSlots++;
      slotFreed.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Decides what happens to a leased task that holds a reserved slot. */
  Admission admit(Execution execution) {
    String type = execution.type();
    lock.lock();
    try {
      if (closed) {
        freeSlots++;
        return Admission.CLOSED;
      }
      if (hasCapacity(type)) {
        running.merge(type, 1, Integer::sum);
        return Admission.RUN;
      }
      freeSlots++;
      slotFreed.signal();
      if (deferredCount >= maxDeferred) {
        return Admission.OVERFLOW;
      }
      deferred.computeIfAbsent(type, t -> new ArrayDeque<>()).addLast(execution);
      deferredCount++;
      return Admission.DEFERRED;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A task of {@code type} left its slot. Returns a parked task that now may run in that slot, or null when the slot
   * was freed for the pollers.
   */
  Execution finish(String type) {
    lock.lock();
    try {
      running.merge(type, -1, Integer::sum);
      Execution next = takeRunnableDeferred(type);
      if (next != null) {
        running.merge(next.type(), 1, Integer::sum);
        return next;
      }
      freeSlots++;
      slotFreed.signal();
      return null;
    } finally {
      lock.unlock();
    }
  }

  /** Admits nothing more and returns every parked task, for the caller to hand back. */
  List<Execution> closeAndDrain() {
    lock.lock();
    try {
      closed = true;
      slotFreed.signalAll();
      var drained = new ArrayList<Execution>(deferredCount);
      deferred.values().forEach(drained::addAll);
      deferred.clear();
      deferredCount = 0;
      return drained;
    } finally {
      lock.unlock();
    }
  }

  int running(String type) {
    lock.lock();
    try {
      return running.getOrDefault(type, 0);
    } finally {
      lock.unlock();
    }
  }

  int deferredCount() {
    lock.lock();
    try {
      return deferredCount;
    } finally {
      lock.unlock();
    }
  }

  private Execution takeRunnableDeferred(String preferredType) {
    Execution next = pollIfCapacity(preferredType);
    if (next != null) {
      return next;
    }
    for (String type : deferred.keySet()) {
      next = pollIfCapacity(type);
      if (next != null) {
        return next;
      }
    }
    return null;
  }

  private Execution pollIfCapacity(String type) {
    ArrayDeque<Execution> queue = deferred.get(type);
    if (queue == null || queue.isEmpty() || !hasCapacity(type)) {
      return null;
    }
    deferredCount--;
    Execution next = queue.pollFirst();
    if (queue.isEmpty()) {
      deferred.remove(type);
    }
    return next;
  }

  private boolean hasCapacity(String type) {
    Integer limit = limits.get(type);
    return limit == null || running.getOrDefault(type, 0) < limit;
  }
}
