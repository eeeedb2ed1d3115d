package dev.dq.core.worker;

import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.port.Lease;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One worker slot's loop, on its own thread: take a task (a parked one that may run now first, then
 * one it claimed earlier, else a new batch from the broker), run its handler on this thread,
 * repeat. No hand-off between threads on the hot path. Successes are acked in batches of {@link
 * WorkerPoolConfig#ackBatch()}, and always before the worker blocks in the broker or exits.
 *
 * <p>If a handler overruns its timeout, its task is cancelled, or stop's grace ends, while it runs,
 * the slot, with its claimed tasks and unsent acks, may be taken from this thread (by the timer or
 * the cancel guard, which give it to a fresh thread, or by stop, which settles it); this thread
 * then touches the slot no more and exits whenever the handler returns. A cancelled handler that
 * returns before the cancel guard takes the slot keeps it. Only stop ends a worker: an interrupt
 * that reaches the thread between tasks from anywhere else is ignored, as {@link
 * java.util.concurrent.ThreadPoolExecutor} does, so the pool never silently loses a slot.
 */
final class Worker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  /** {@link #inHandler} once the slot was taken from this thread. */
  private static final Object TAKEN = new Object();

  /**
   * What a slot holds, handed from an abandoned thread to its replacement. Touched by one thread at
   * a time.
   */
  static final class Backlog {
    final ArrayDeque<Execution> claimed = new ArrayDeque<>();
    final List<Execution> unacked = new ArrayList<>();

    /**
     * What this slot claimed and may still hold (see {@link HeldTasks#wrapAll}); guarded by its own
     * lock, since the heartbeat and stop read it.
     */
    final List<Execution> claims = new ArrayList<>();
  }

  private final HeldTasks tasks;
  private final PoolServices services;
  private final Consumer<Worker> replace;
  private final int slot;
  private final Backlog backlog;
  private final QueueSelection selection;

  /** This slot's order of the queues for its next claim (see {@link QueueSelection#order}). */
  private final int[] order;

  private final Object fetchLock = new Object();
  private boolean fetching; // guarded by fetchLock

  /**
   * The execution whose handler runs on this thread, null between tasks, or {@link #TAKEN}. Whoever
   * moves it away from an execution first owns the backlog: this thread when the handler returns,
   * else the timer or stop.
   */
  private final AtomicReference<Object> inHandler = new AtomicReference<>();

  /**
   * @param replace gives the slot of a worker whose handler overran to a fresh thread (or settles
   *     it when stopping)
   */
  Worker(
      HeldTasks tasks, PoolServices services, int slot, Backlog backlog, Consumer<Worker> replace) {
    this.tasks = tasks;
    this.services = services;
    this.replace = replace;
    this.slot = slot;
    this.backlog = backlog;
    this.selection = services.selection();
    this.order = new int[selection.size()];
  }

  int slot() {
    return slot;
  }

  Backlog backlog() {
    return backlog;
  }

  @Override
  public void run() {
    // Set once per thread rather than per task: MDC puts are a measurable share of a no-op task's
    // cost.
    try (var worker = MDC.putCloseable("worker", Thread.currentThread().getName())) {
      loop();
    } catch (RuntimeException | Error unexpected) {
      TaskMdc.clear();
      // A bug or a broken broker client, not a handler (handlers' throwables fail their attempt):
      // keep the slot.
      log.error("worker {} failed; a fresh thread takes its slot", slot, unexpected);
      Object current = inHandler.get();
      if (current != TAKEN && inHandler.compareAndSet(current, TAKEN)) {
        replace.accept(this);
      }
    } finally {
      TaskMdc.clear();
      if (inHandler.get() != TAKEN) {
        tasks.settleBacklog(backlog);
      }
    }
  }

  private void loop() {
    while (tasks.isRunning()) {
      Execution next = tasks.takeRunnable();
      if (next != null && tasks.heldBack(next)) {
        continue; // its queue was paused after it was admitted
      }
      if (next == null) {
        next = admitClaimed();
      }
      if (next == null) {
        TaskMdc.clear();
        flushAcks();
        if (!fetch()) {
          return;
        }
        continue;
      }
      if (Thread.interrupted()) {
        TaskMdc.clear();
        strayInterrupt(); // aimed at no task of ours: the handler must not see it
      }
      Execution running = next;
      inHandler.set(running);
      QueueSelection.Busy busy = selection.started(slot, running.task().queue());
      running.execute(
          () -> {
            busy.end();
            handOver(running);
          },
          backlog.unacked::add);
      busy.end();
      if (running.state() == Execution.State.TIMED_OUT) {
        handOver(
            running); // the timer's interrupt may still be on its way: this thread takes no more
        // work
        return;
      }
      if (!inHandler.compareAndSet(running, null)) {
        return; // stop, or the cancel guard, took the slot while the handler ran
      }
      if (backlog.unacked.size() >= services.config().ackBatch()) {
        TaskMdc.clear();
        flushAcks();
      }
    }
  }

  /**
   * The handler of {@code e} overran: gives the slot to a fresh thread unless this thread has it
   * back already.
   */
  private void handOver(Execution e) {
    if (inHandler.compareAndSet(e, TAKEN)) {
      replace.accept(this);
    }
  }

  /** The execution whose handler runs on this thread now, if any. */
  Execution current() {
    return inHandler.get() instanceof Execution e ? e : null;
  }

  /**
   * Stop: takes the slot from this thread, whose handler of {@code e} was given up (by stop, the
   * timer or a cancel) and has not returned. The caller then owns the backlog; this thread exits
   * without touching it, and whoever gave the handler up before stop finds the slot taken.
   */
  boolean takeOver(Execution e) {
    return inHandler.compareAndSet(e, TAKEN);
  }

  /** Stop: wakes this worker if it is blocked in the broker, and only then. */
  void interruptIfFetching(Thread thread) {
    synchronized (fetchLock) {
      if (fetching) {
        thread.interrupt();
      }
    }
  }

  /**
   * The first claimed task that may run now; claimed tasks of saturated types are parked on the
   * way.
   */
  private Execution admitClaimed() {
    for (Execution e; (e = backlog.claimed.poll()) != null; ) {
      if (!tasks.admitsAtOnce(e)) {
        TaskMdc.clear(); // it may be parked or handed back, and logged: not as the last task
      }
      Execution admitted = tasks.admit(e);
      if (admitted != null) {
        return admitted;
      }
    }
    return null;
  }

  /**
   * Acks the successes so far. Those whose ack gets no answer stay awaiting it (leases renewed) and
   * the next flush asks again about the same leases, until the broker answers or their leases have
   * certainly expired.
   */
  private void flushAcks() {
    if (!backlog.unacked.isEmpty()) {
      tasks.ackAll(backlog.unacked);
    }
  }

  /**
   * Claims a batch, trying every served queue without waiting, in the order of the pool's {@link
   * QueueSelection}, before blocking on the queue it names.
   *
   * @return false when this worker should end (stopped, or the broker closed)
   */
  private boolean fetch() {
    synchronized (fetchLock) {
      if (!tasks.isRunning()) {
        return false; // stop has run interruptIfFetching already: do not block in the broker after
        // it
      }
      fetching = true;
    }
    List<Lease> leases = List.of();
    boolean goOn = true;
    try {
      leases = claim();
    } catch (InterruptedException e) {
      goOn = strayInterrupt(); // stop's wake-up ends the loop; any other interrupt does not
    } catch (BrokerClosedException e) {
      log.info("broker closed: worker {} ends", slot);
      goOn = false;
    } catch (RuntimeException e) {
      services.brokerErrors().warn("dequeue failed", e);
      goOn = pause();
    }
    synchronized (fetchLock) {
      fetching = false;
      if (Thread.interrupted() && !strayInterrupt()) {
        goOn = false; // stop's wake-up arrived as the fetch returned
      }
    }
    tasks.wrapAll(leases, backlog); // when stopping, run() hands them back
    return goOn;
  }

  /**
   * This thread was interrupted (its flag is now clear). Only stop ends a worker, and stop always
   * changes the pool's state first: while the pool runs, the interrupt came from elsewhere and is
   * ignored.
   *
   * @return true if the worker goes on (a stray interrupt), false if the pool is stopping
   */
  private boolean strayInterrupt() {
    if (!tasks.isRunning()) {
      return false;
    }
    log.warn(
        "worker {} was interrupted between tasks, not by stop; ignored, the worker goes on", slot);
    return true;
  }

  private boolean pause() {
    try {
      Thread.sleep(200);
      return true;
    } catch (InterruptedException e) {
      return strayInterrupt(); // stop interrupted the back-off: end; anything else: go on
    }
  }

  /**
   * One claim: each queue in turn without waiting, then a wait on the queue to block on (folded
   * into the last try when that is the same queue, so a pool with one queue makes one call).
   */
  private List<Lease> claim() throws InterruptedException {
    selection.order(slot, order);
    int blockOn = selection.blockOn(slot);
    int n = order.length;
    for (int i = 0; i < n; i++) {
      boolean wait = i == n - 1 && order[i] == blockOn;
      List<Lease> leases = dequeue(order[i], wait);
      selection.found(slot, order[i], leases.size());
      if (!leases.isEmpty() || wait) {
        return leases;
      }
    }
    List<Lease> leases = dequeue(blockOn, true);
    selection.found(slot, blockOn, leases.size());
    return leases;
  }

  private List<Lease> dequeue(int queue, boolean wait) throws InterruptedException {
    WorkerPoolConfig config = services.config();
    return services
        .broker()
        .dequeueBatch(
            selection.queue(queue),
            selection.batch(queue, config.prefetch()),
            config.leaseTime(),
            wait ? config.pollWait() : Duration.ZERO);
  }
}
