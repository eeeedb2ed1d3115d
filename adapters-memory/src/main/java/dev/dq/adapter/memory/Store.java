package dev.dq.adapter.memory;

import dev.dq.core.port.BrokerClosedException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The state an {@link InMemoryBroker} shares with its {@link InMemoryDeadLetterQueue}. One lock
 * guards all of it: a broker call touches one or two structures for microseconds, so finer locking
 * would buy little and make moves between states (in flight to dead, dead to ready) harder to keep
 * atomic.
 */
final class Store {
  /**
   * Longest single wait on a condition. Delayed tasks fall due by the injected clock, which a test
   * may move without signalling anyone, so a waiter re-reads it at least this often.
   */
  static final long MAX_WAIT_SLICE_NANOS = Duration.ofMillis(50).toNanos();

  final ReentrantLock lock = new ReentrantLock();

  /** Signalled whenever a task of any queue ends (succeeds, dies or is cancelled). */
  final Condition ended = lock.newCondition();

  final InstantSource clock;
  final int capacity;

  private final Map<String, QueueState> queues = new HashMap<>(); // guarded by lock
  private boolean closed; // guarded by lock
  private long lastToken; // guarded by lock
  private long lastSeq; // guarded by lock

  Store(InstantSource clock, int capacity) {
    this.clock = clock;
    this.capacity = capacity;
  }

  /**
   * Runs {@code action} with the lock held; for the short, non-blocking steps that are most of this
   * adapter.
   */
  <T> T locked(Supplier<T> action) {
    lock.lock();
    try {
      return action.get();
    } finally {
      lock.unlock();
    }
  }

  void locked(Runnable action) {
    lock.lock();
    try {
      action.run();
    } finally {
      lock.unlock();
    }
  }

  /** The queue's state, created empty on first use. */
  QueueState queue(String name) {
    return queues.computeIfAbsent(
        name, n -> new QueueState(n, lock.newCondition(), lock.newCondition()));
  }

  /** The queue's state, or null if nothing ever touched it (so that reads do not create queues). */
  QueueState existing(String name) {
    return queues.get(name);
  }

  /** Drops the state of a queue; the caller checked that it is empty and unused. */
  void forget(String name) {
    queues.remove(name);
  }

  Collection<QueueState> queues() {
    return queues.values();
  }

  /** A fencing token never issued before by this broker. */
  long nextToken() {
    return ++lastToken;
  }

  /** Insertion order for delayed tasks with equal due times. */
  long nextSeq() {
    return ++lastSeq;
  }

  boolean closed() {
    return closed;
  }

  /**
   * Marks the store closed and wakes every waiter so it sees that. @return false if it was closed
   * already
   */
  boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    ended.signalAll();
    for (QueueState q : queues.values()) {
      q.notEmpty.signalAll();
      q.notFull.signalAll();
    }
    return true;
  }

  void ensureOpen() {
    if (closed) {
      throw new BrokerClosedException("in-memory broker is closed");
    }
  }

  /** {@code d} in nanoseconds, saturating instead of overflowing for very long durations. */
  static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
