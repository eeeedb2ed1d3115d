package dev.dq.core.worker;

import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one pool holds, shared by its workers and its stop: every execution whose lease it holds
 * (running, claimed, parked or awaiting its ack), the parked ones that may run now, the per-type
 * {@link Dispatcher}, the batched {@link Acks}, and the wait of a stop for running handlers to end.
 * Workers take tasks from here and give back what they cannot run; stop drains it. Thread-safe.
 */
final class HeldTasks {
  private static final Logger log =
      LoggerFactory.getLogger(WorkerPool.class); // its lines are the pool's

  private final PoolServices services;
  private final Lifecycle lifecycle;
  private final Map<String, TaskHandler> handlers;
  private final Dispatcher dispatcher;

  /**
   * Each slot's {@link Worker.Backlog#claims}: together they list every held execution, among
   * others no longer held (an execution's state tells which, see {@link Execution#isHeld}). A slot
   * appends a fetched batch under its list's lock, which only the heartbeat and stop also take, so
   * the per-task path touches no shared concurrent set.
   */
  private final List<List<Execution>> claims = new CopyOnWriteArrayList<>();

  private final Consumer<Execution> ended = this::ended;
  private final Queue<Execution> runnable = new ConcurrentLinkedQueue<>();
  private final Acks acks;
  private final PauseGuard pauses;
  private final CancelGuard cancels;
  private final Object idle = new Object();

  HeldTasks(PoolServices services, Lifecycle lifecycle, Map<String, TaskHandler> handlers) {
    this.services = services;
    this.lifecycle = lifecycle;
    this.handlers = Map.copyOf(handlers);
    this.dispatcher =
        new Dispatcher(services.config().concurrency(), services.config().maxDeferred());
    this.acks = new Acks(services, this::signalIfStopping);
    this.pauses = new PauseGuard(services, this::executions);
    this.cancels = new CancelGuard(services, this::executions);
  }

  /** What keeps tasks of paused queues from starting; the pool runs its periodic check. */
  PauseGuard pauses() {
    return pauses;
  }

  /** What ends the deliveries of cancelled tasks; the pool runs its periodic check. */
  CancelGuard cancels() {
    return cancels;
  }

  /** Whether {@code execution} must not start because its queue is paused; if so, hands it back. */
  boolean heldBack(Execution execution) {
    if (!pauses.holdsBack(execution)) {
      return false;
    }
    handBack(execution, "queue paused", Duration.ZERO);
    return true;
  }

  boolean isRunning() {
    return lifecycle.isRunning();
  }

  /** A new slot's backlog, whose claims this pool's heartbeat and stop see. */
  Worker.Backlog newBacklog() {
    Worker.Backlog backlog = new Worker.Backlog();
    claims.add(backlog.claims);
    return backlog;
  }

  /** The executions held right now (a snapshot), for the heartbeat, which renews them. */
  List<Execution> executions() {
    List<Execution> found = new ArrayList<>();
    for (List<Execution> slot : claims) {
      synchronized (slot) {
        for (Execution e : slot) {
          if (e.isHeld()) {
            found.add(e);
          }
        }
      }
    }
    return found;
  }

  /** Tasks held right now. */
  int size() {
    return executions().size();
  }

  /** Held executions whose handler runs right now (a snapshot). */
  int running() {
    return inState(Execution.State.RUNNING).size();
  }

  /** Held executions in {@code state} (a snapshot). */
  List<Execution> inState(Execution.State state) {
    List<Execution> found = new ArrayList<>();
    for (Execution e : executions()) {
      if (e.state() == state) {
        found.add(e);
      }
    }
    return found;
  }

  /** A parked task that may run now, if any. */
  Execution takeRunnable() {
    return runnable.poll();
  }

  /**
   * Wraps the leases of one fetched batch for running later and adds them to the slot's claimed
   * tasks; a task of a type nobody handles is dead-lettered instead. Called by the slot's thread.
   */
  void wrapAll(List<Lease> leases, Worker.Backlog backlog) {
    if (leases.isEmpty()) {
      return;
    }
    pauses.checkFresh(leases.get(0).task().queue()); // a batch is of one queue
    Instant claimedAt = services.clock().instant(); // the reply granting them all arrived now
    List<Execution> fresh = new ArrayList<>(leases.size());
    for (Lease lease : leases) {
      TaskHandler handler = handlers.get(lease.task().type());
      if (handler == null) {
        deadLetterUnknownType(lease);
      } else {
        fresh.add(new Execution(services, lease, claimedAt, handler, ended));
      }
    }
    synchronized (backlog.claims) {
      // Executions leave the list here, a batch at a time, not one by one as they end.
      backlog.claims.removeIf(e -> !e.isHeld());
      backlog.claims.addAll(fresh);
    }
    backlog.claimed.addAll(fresh);
  }

  /**
   * Whether {@link #admit} surely runs {@code execution} now: the pool runs, its type has no limit.
   */
  boolean admitsAtOnce(Execution execution) {
    return isRunning() && !dispatcher.limits(execution.type());
  }

  /**
   * Decides whether a claimed task runs now on the caller's thread (returned), waits parked, or
   * goes back.
   */
  Execution admit(Execution execution) {
    if (!isRunning()) {
      handBack(execution, "shutdown", Duration.ZERO);
      return null;
    }
    if (heldBack(execution)) {
      return null;
    }
    switch (dispatcher.admit(execution)) {
      case RUN:
        execution.admitted();
        return execution;
      case DEFERRED:
        log.debug("task {}: type {} saturated, parked", execution.task().id(), execution.type());
        return null;
      case OVERFLOW:
        handBack(execution, "type saturated", services.config().saturatedRequeueDelay());
        return null;
      default:
        handBack(execution, "shutdown", Duration.ZERO);
        return null;
    }
  }

  /**
   * Acks successes in one broker call; see {@link Acks#ackAll}. @return true if the broker answered
   */
  boolean ackAll(List<Execution> pending) {
    return acks.ackAll(pending);
  }

  /** A worker's last acks before it leaves its slot; see {@link Acks#flushBeforeExit}. */
  void flushBeforeExit(List<Execution> unacked) {
    acks.flushBeforeExit(
        unacked,
        isRunning()
            ? System.nanoTime() + WorkerPool.STOP_BOUND.toNanos()
            : lifecycle.stopDeadline());
  }

  /**
   * A slot is given up for good: acks its waiting successes and hands back the tasks it claimed.
   */
  void settleBacklog(Worker.Backlog backlog) {
    flushBeforeExit(backlog.unacked);
    for (Execution e; (e = backlog.claimed.poll()) != null; ) {
      handBack(e, "shutdown", Duration.ZERO);
    }
  }

  void handBack(Execution execution, String reason, Duration delay) {
    execution.handBack(reason, delay);
  }

  /**
   * Stop: admits nothing more and forgets the parked tasks and those that may run now; they are
   * held too, still pending, and stop hands them back with the other unstarted ones.
   */
  void closeForStop() {
    dispatcher.closeAndDrain();
    runnable.clear();
  }

  /**
   * Hands back each execution not started yet while {@code deadline} has not passed, after it
   * leaves it to expire. One broker call each; the state CAS keeps a worker that meets one of them
   * later from running it.
   */
  void handBackUntil(List<Execution> executions, long deadline) {
    for (Execution e : executions) {
      if (System.nanoTime() - deadline < 0) {
        e.handBack("shutdown", Duration.ZERO);
      } else {
        e.abandonLease();
      }
    }
  }

  /** An admitted execution stopped running (finished, timed out or handed back). */
  private void ended(Execution execution) {
    // A success awaiting its batched ack stays held (its state says so), so its lease is still
    // renewed.
    Execution next = dispatcher.finish(execution.type());
    while (next != null && next.state() != Execution.State.PENDING) {
      next = dispatcher.finish(next.type()); // handed back while parked (queue paused): skip it
    }
    if (next != null) {
      next.admitted();
      runnable.add(next);
      if (!isRunning()) {
        // stop may have drained runnable before this add; no worker polls it any more
        for (Execution e; (e = runnable.poll()) != null; ) {
          handBack(e, "shutdown", Duration.ZERO);
        }
      }
    }
    signalIfStopping();
  }

  private void signalIfStopping() {
    if (!isRunning()) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }

  private void deadLetterUnknownType(Lease lease) {
    String type = lease.task().type();
    Failure failure =
        new Failure(
            "no-handler",
            "no handler for type " + type,
            lease.task().attempt(),
            services.clock().instant());
    try {
      services.broker().deadLetter(lease, failure);
      services.listener().on(new TaskEvent.DeadLettered(lease.task(), failure));
    } catch (LeaseLostException lost) {
      services.listener().on(new TaskEvent.LeaseLost(lease.task(), "dead-letter"));
    } catch (RuntimeException e) {
      services.brokerErrors().warn("task " + lease.task().id() + ": could not dead-letter", e);
    }
  }

  /** Waits until no handler runs, or {@code deadline} (System.nanoTime()) passes. */
  boolean awaitNoneRunning(long deadline) {
    synchronized (idle) {
      while (running() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(idle, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }
}
