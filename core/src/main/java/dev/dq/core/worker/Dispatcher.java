package dev.dq.core.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Enforces per-type concurrency limits. A task whose type is at its limit is parked (its lease kept
 * and renewed) and the worker moves on to other tasks, so a saturated type never blocks the others
 * (no head-of-line blocking). When a task of a limited type finishes, the worker that ran it takes
 * a parked task of that type next.
 *
 * <p>Types without a limit never touch the lock: the common case costs one map lookup.
 */
final class Dispatcher {
  enum Admission {
    RUN,
    DEFERRED,
    OVERFLOW,
    CLOSED
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Integer> limits;
  private final Map<String, Integer> running = new HashMap<>();
  private final Map<String, ArrayDeque<Execution>> deferred = new HashMap<>();
  private final int maxDeferred;
  private int deferredCount;
  private volatile boolean closed;

  Dispatcher(Map<String, Integer> limits, int maxDeferred) {
    this.limits = Map.copyOf(limits);
    this.maxDeferred = maxDeferred;
  }

  /** Whether tasks of {@code type} have a concurrency limit. */
  boolean limits(String type) {
    return limits.containsKey(type);
  }

  /** Decides whether a leased task runs now, waits parked, or goes back to the broker. */
  Admission admit(Execution execution) {
    if (closed) {
      return Admission.CLOSED;
    }
    String type = execution.type();
    if (!limits.containsKey(type)) {
      return Admission.RUN;
    }
    lock.lock();
    try {
      if (closed) {
        return Admission.CLOSED;
      }
      if (running.getOrDefault(type, 0) < limits.get(type)) {
        running.merge(type, 1, Integer::sum);
        return Admission.RUN;
      }
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
   * A task of {@code type} stopped running. Returns a parked task that may run now (already counted
   * as running), or null.
   */
  Execution finish(String type) {
    if (!limits.containsKey(type)) {
      return null;
    }
    lock.lock();
    try {
      running.merge(type, -1, Integer::sum);
      if (closed) {
        return null;
      }
      ArrayDeque<Execution> parked = deferred.get(type);
      if (parked == null || parked.isEmpty()) {
        return null;
      }
      deferredCount--;
      Execution next = parked.pollFirst();
      if (parked.isEmpty()) {
        deferred.remove(type);
      }
      running.merge(type, 1, Integer::sum);
      return next;
    } finally {
      lock.unlock();
    }
  }

  /** Admits nothing more and returns every parked task, for the caller to hand back. */
  List<Execution> closeAndDrain() {
    lock.lock();
    try {
      closed = true;
      var drained = new ArrayList<Execution>(deferredCount);
      deferred.values().forEach(drained::addAll);
      deferred.clear();
      deferredCount = 0;
      return drained;
    } finally {
      lock.unlock();
    }
  }
}
