package dev.dq.core.worker;

import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.port.Lease;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One worker slot's loop, on its own thread: take a task (a parked one that may run now first, then one it claimed
 * earlier, else a new batch from the broker), run its handler on this thread, repeat. No hand-off between threads on
 * the hot path. Successes are acked in batches of {@link WorkerPoolConfig#ackBatch()}, and always before the worker
 * blocks in the broker or exits.
 *
 * <p>If a handler overruns its timeout and does not return, the slot, with its claimed tasks and unsent acks, is given
 * to a fresh thread and this one exits whenever the handler finally returns. While blocked in the broker, the thread
 * may be interrupted by stop; while a handler runs, only its own timeout or the end of stop's grace interrupt it.
 */
final class Worker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final int MAX_FAILED_FLUSHES = 3;

  /** What a slot holds, handed from an abandoned thread to its replacement. Touched by one thread at a time. */
  static final class Backlog {
    final ArrayDeque<Execution> claimed = new ArrayDeque<>();
    final List<Execution> unacked = new ArrayList<>();
  }

  private final WorkerPool pool;
  private final PoolContext ctx;
  private final int slot;
  private final Backlog backlog;
  private final List<String> queues;
  private final Object fetchLock = new Object();
  private boolean fetching; // guarded by fetchLock
  private final java.util.concurrent.atomic.AtomicBoolean abandoned = new java.util.concurrent.atomic.AtomicBoolean();
  private int failedFlushes; // consecutive; touched by the thread that owns the backlog

  Worker(WorkerPool pool, PoolContext ctx, int slot, Backlog backlog) {
    this.pool = pool;
    this.ctx = ctx;
    this.slot = slot;
    this.backlog = backlog;
    this.queues = rotate(ctx.config().queues(), slot);
  }

  int slot() {
    return slot;
  }

  Backlog backlog() {
    return backlog;
  }

  @Override
  public void run() {
    // Set once per thread rather than per task: MDC puts are a measurable share of a no-op task's cost.
    try (var worker = MDC.putCloseable("worker", Thread.currentThread().getName())) {
      loop();
    } catch (RuntimeException | Error unexpected) {
      // A bug or a broken broker client, not a handler (handlers' throwables fail their attempt): keep the slot.
      log.error("worker {} failed; a fresh thread takes its slot", slot, unexpected);
      abandon();
    } finally {
      if (!abandoned.get()) {
        if (!backlog.unacked.isEmpty() && !pool.ackAll(backlog.unacked)) {
          pool.giveUpAcks(backlog.unacked);
        }
        backlog.unacked.clear();
        for (Execution e; (e = backlog.claimed.poll()) != null; ) {
          pool.handBack(e, "shutdown", Duration.ZERO);
        }
      }
    }
  }

  private void loop() {
    while (pool.isRunning() && !abandoned.get()) {
      Execution next = pool.takeRunnable();
      if (next == null) {
        next = admitClaimed();
      }
      if (next == null) {
        flushAcks();
        if (!fetch()) {
          return;
        }
        continue;
      }
      next.execute(this::abandon, backlog.unacked::add);
      if (next.state() == Execution.State.TIMED_OUT) {
        abandon(); // the timer gives this slot to a fresh thread; whichever of us comes first does it
      } else if (backlog.unacked.size() >= ctx.config().ackBatch()) {
        flushAcks();
      }
    }
  }

  /** Stop: wakes this worker if it is blocked in the broker, and only then. */
  void interruptIfFetching(Thread thread) {
    synchronized (fetchLock) {
      if (fetching) {
        thread.interrupt();
      }
    }
  }

  /** Gives this slot, with its backlog, to a fresh thread; this thread touches the backlog no more. Once only. */
  private void abandon() {
    if (abandoned.compareAndSet(false, true)) {
      pool.replace(this);
    }
  }

  /** The first claimed task that may run now; claimed tasks of saturated types are parked on the way. */
  private Execution admitClaimed() {
    for (Execution e; (e = backlog.claimed.poll()) != null; ) {
      Execution admitted = pool.admit(e);
      if (admitted != null) {
        return admitted;
      }
    }
    return null;
  }

  /**
   * Acks the successes so far. If the broker cannot be reached they stay awaiting their ack (leases renewed) and the
   * next flush tries again; after a few failures in a row they are given up and will run again after their leases
   * expire.
   */
  private void flushAcks() {
    if (backlog.unacked.isEmpty()) {
      return;
    }
    if (pool.ackAll(backlog.unacked)) {
      failedFlushes = 0;
    } else if (++failedFlushes < MAX_FAILED_FLUSHES) {
      return;
    } else {
      failedFlushes = 0;
      pool.giveUpAcks(backlog.unacked);
    }
    backlog.unacked.clear();
  }

  /**
   * Claims a batch, trying every served queue without waiting before blocking on this slot's own queue.
   *
   * @return false when this worker should end (stopped while blocked, or the broker closed)
   */
  private boolean fetch() {
    synchronized (fetchLock) {
      if (!pool.isRunning()) {
        return false; // stop has run interruptIfFetching already: do not block in the broker after it
      }
      fetching = true;
    }
    List<Lease> leases = List.of();
    boolean goOn = true;
    try {
      for (int i = 0; i < queues.size() && leases.isEmpty(); i++) {
        boolean last = i == queues.size() - 1;
        leases = ctx.broker().dequeueBatch(queues.get(i), ctx.config().prefetch(), ctx.config().leaseTime(),
            last ? ctx.config().pollWait() : Duration.ZERO);
      }
    } catch (InterruptedException e) {
      goOn = false; // stop's wake-up: this thread's loop ends here
    } catch (BrokerClosedException e) {
      log.info("broker closed: worker {} ends", slot);
      goOn = false;
    } catch (RuntimeException e) {
      ctx.brokerErrors().warn("dequeue failed", e);
      goOn = pause();
    }
    synchronized (fetchLock) {
      fetching = false;
      if (Thread.interrupted()) {
        goOn = false; // stop's wake-up arrived as the fetch returned
      }
    }
    leases.forEach(l -> pool.wrap(l, backlog.claimed)); // when stopping, run() hands them back
    return goOn;
  }

  private boolean pause() {
    try {
      Thread.sleep(200);
      return true;
    } catch (InterruptedException e) {
      return false; // stop interrupted the back-off: end, the pool is stopping
    }
  }

  private static List<String> rotate(List<String> queues, int by) {
    int n = queues.size();
    int start = by % n;
    var rotated = new ArrayList<String>(n);
    for (int i = 1; i <= n; i++) {
      rotated.add(queues.get((start + i) % n)); // own queue (index start) last: that is where it blocks
    }
    return List.copyOf(rotated);
  }
}
