package dev.dq.core.worker;

import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.port.Lease;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker slot's loop, on its own thread: take a task (a parked one that may run now first, else from the broker),
 * run its handler on this thread, repeat. No hand-off between threads on the hot path.
 *
 * <p>If a handler overruns its timeout and does not return, the slot is given to a fresh thread and this one exits
 * whenever the handler finally returns. While blocked in the broker, the thread may be interrupted by stop; while a
 * handler runs, only the handler's own timeout or the end of stop's grace interrupt it.
 */
final class Worker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  private final WorkerPool pool;
  private final PoolContext ctx;
  private final int slot;
  private final List<String> queues;
  private final Object fetchLock = new Object();
  private boolean fetching; // guarded by fetchLock
  private volatile boolean abandoned;

  Worker(WorkerPool pool, PoolContext ctx, int slot) {
    this.pool = pool;
    this.ctx = ctx;
    this.slot = slot;
    this.queues = rotate(ctx.config().queues(), slot);
  }

  int slot() {
    return slot;
  }

  @Override
  public void run() {
    while (pool.isRunning() && !abandoned) {
      Execution next = pool.takeRunnable();
      if (next == null) {
        try {
          next = fetch();
        } catch (InterruptedException e) {
          return; // stop interrupted a blocked fetch; the pool hands back what it holds
        }
      }
      if (next != null) {
        next.execute(this::abandon);
        if (next.state() == Execution.State.TIMED_OUT) {
          abandoned = true; // the timer is giving this slot to a fresh thread, if it has not already
        }
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

  private void abandon() {
    abandoned = true;
    pool.replace(this);
  }

  /** Dequeues one task, trying every served queue without waiting before blocking on this slot's own queue. */
  private Execution fetch() throws InterruptedException {
    synchronized (fetchLock) {
      fetching = true;
    }
    Optional<Lease> lease = Optional.empty();
    try {
      for (int i = 0; i < queues.size() && lease.isEmpty(); i++) {
        boolean last = i == queues.size() - 1;
        lease = ctx.broker().dequeue(queues.get(i), ctx.config().leaseTime(),
            last ? ctx.config().pollWait() : Duration.ZERO);
      }
    } catch (BrokerClosedException e) {
      log.info("broker closed: worker {} ends", slot);
      abandoned = true;
      return null;
    } catch (RuntimeException e) {
      ctx.brokerErrors().warn("dequeue failed", e);
      pause();
      return null;
    } finally {
      synchronized (fetchLock) {
        fetching = false;
        if (Thread.interrupted()) {
          // The interrupt was stop's wake-up for the fetch. A lease got at the same moment is handed back by admit.
          lease.ifPresent(pool::accept);
          throw new InterruptedException("worker stopped while fetching");
        }
      }
    }
    return lease.map(pool::accept).orElse(null);
  }

  private void pause() throws InterruptedException {
    Thread.sleep(200);
  }

  private static List<String> rotate(List<String> queues, int by) {
    int n = queues.size();
    int start = by % n;
    var rotated = new java.util.ArrayList<String>(n);
    for (int i = 1; i <= n; i++) {
      rotated.add(queues.get((start + i) % n)); // own queue (index start) last: that is where it blocks
    }
    return List.copyOf(rotated);
  }
}
