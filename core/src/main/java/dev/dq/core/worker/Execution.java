package dev.dq.core.worker;

import dev.dq.core.lifecycle.TaskCancels;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import dev.dq.core.port.TaskCancelledException;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over 300 lines: one delivery's state machine (run, timeout, hand-back, lease loss, ack doubt)
// kept in one class, so
// every compare-and-set on its state is read next to the others.
/**
 * One delivery of one task through a handler. Exactly one of four parties settles it with the
 * broker: the handler's thread when it returns, the timer when it overruns its timeout, the pool's
 * stop when the grace period is over, or the cancel guard when the task was cancelled. The state
 * CAS decides which; the losers write nothing.
 */
final class Execution {
  private static final Logger log = LoggerFactory.getLogger(Execution.class);

  /** Error type of a task dead-lettered because the broker refused its result as too large. */
  static final String RESULT_TOO_LARGE = "dq.result-too-large";

  enum State {
    PENDING,
    RUNNING,
    /**
     * The handler succeeded; the ack is batched with others and not sent yet. The lease is still
     * renewed.
     */
    AWAITING_ACK,
    FINISHED,
    TIMED_OUT,
    RELEASED,
    /**
     * Cancelled ({@link TaskCancels}) before it started or while it ran; the delivery was ended as
     * cancelled by whoever won this state.
     */
    CANCELLED
  }

  private final PoolServices services;
  private final TaskHandler handler;
  private final Consumer<Execution> onSlotLeft;
  private final AtomicReference<State> state = new AtomicReference<>(State.PENDING);
  private final AtomicBoolean slotLeft = new AtomicBoolean();
  private volatile Lease lease;

  /**
   * The worker thread while it runs this execution; guarded by {@link #threadLock} so that an
   * interrupt aimed at this task lands before the thread clears its flag and moves on.
   */
  private Thread thread;

  private final Object threadLock = new Object();
  private volatile boolean counted;
  private volatile Runnable onAbandoned = () -> {};
  private volatile Instant startedAt;
  private volatile Duration took = Duration.ZERO;
  private volatile String workerName;

  /** What a {@link ResultTaskHandler} returned; empty for other handlers and for no result. */
  private volatile Optional<dev.dq.core.task.Payload> result = Optional.empty();

  private Scheduler.Handle timeout;

  /**
   * This pool's time when the broker last granted or extended the lease: it expires a lease time
   * later at most.
   */
  private volatile Instant leaseConfirmedAt;

  /**
   * The lease expired while this pool held the task: a late result of the handler must not be
   * settled.
   */
  private volatile boolean leaseLost;

  private final AtomicBoolean lossReported = new AtomicBoolean();

  /** An ack of this success was sent but no answer came: it may have landed. */
  private volatile boolean ackInDoubt;

  /**
   * @param claimedAt this pool's time when the broker's reply granting {@code lease} arrived
   */
  Execution(
      PoolServices services,
      Lease lease,
      Instant claimedAt,
      TaskHandler handler,
      Consumer<Execution> onSlotLeft) {
    this.services = services;
    this.lease = lease;
    this.leaseConfirmedAt = claimedAt;
    this.handler = handler;
    this.onSlotLeft = onSlotLeft;
  }

  Task task() {
    return lease.task();
  }

  String type() {
    return lease.task().type();
  }

  Lease lease() {
    return lease;
  }

  /** What the handler returned, once it succeeded: stored with the task's record on ack. */
  Optional<dev.dq.core.task.Payload> result() {
    return result;
  }

  State state() {
    return state.get();
  }

  /**
   * Called by the pool when the dispatcher admitted this execution to run: its end must be reported
   * once.
   */
  void admitted() {
    counted = true;
  }

  /**
   * Whether the pool holds this delivery: not started, running, or a success awaiting its ack. The
   * pool's count of held tasks and its stop go by this.
   */
  boolean isHeld() {
    State s = state.get();
    return s == State.PENDING || s == State.RUNNING || s == State.AWAITING_ACK;
  }

  /** Whether this delivery's lease must still be renewed. */
  boolean isLive() {
    State s = state.get();
    return !leaseLost && (s == State.PENDING || s == State.RUNNING || s == State.AWAITING_ACK);
  }

  /**
   * Heartbeat: replaces the lease with its extension, which the broker granted before {@code now}.
   */
  void extended(Lease extendedLease, Instant now) {
    this.lease = extendedLease;
    this.leaseConfirmedAt = now;
  }

  /**
   * Whether the lease has expired for certain by {@code now}: no grant or extension has been
   * confirmed for a whole lease time. Measured on this pool's clock from the arrival of the
   * broker's last confirming reply, which came after the broker set the expiry, so only the two
   * clocks' rates need to agree, not their readings. A renewal whose reply was lost counts as not
   * applied.
   */
  boolean leaseCertainlyExpired(Instant now) {
    return !now.isBefore(leaseConfirmedAt.plus(services.config().leaseTime()));
  }

  /**
   * Heartbeat: the lease expired while this pool held the task (the broker refused to extend it, or
   * no renewal got through for a whole lease time), so the broker may deliver it again. A task not
   * started yet is dropped here; a running handler goes on, but its result will not be settled,
   * since the broker's fencing would refuse it anyway. A success awaiting its ack is left to the
   * ack's answer, which tells whether the ack landed first.
   *
   * @return true if this call made the loss known ({@link TaskEvent.LeaseLost} "renew" emitted):
   *     log it
   */
  boolean leaseExpiredWhileHeld() {
    State s = state.get();
    if (s != State.PENDING && s != State.RUNNING) {
      return false;
    }
    leaseLost = true;
    if (s == State.PENDING) {
      abandonLease(); // if it started meanwhile, leaseLost keeps its result from being settled
    }
    return reportLeaseLost("renew");
  }

  /** Emits {@link TaskEvent.LeaseLost} for this delivery, once whoever finds out first. */
  private boolean reportLeaseLost(String operation) {
    if (!lossReported.compareAndSet(false, true)) {
      return false;
    }
    emit(new TaskEvent.LeaseLost(task(), operation));
    return true;
  }

  /**
   * Runs the handler on the calling worker thread and settles the outcome; a success goes to {@code
   * acks}, which acks it, alone or in a batch, and then calls {@link #acked}. If the timeout fires
   * first, or the task is cancelled while it runs, {@code onAbandoned} runs on the timer's or the
   * cancel guard's thread: the caller's thread is then given up on, unless it gets its slot back
   * first (see {@link Worker}).
   */
  void execute(Runnable onAbandoned, java.util.function.Consumer<Execution> acks) {
    this.onAbandoned = onAbandoned;
    Thread current = Thread.currentThread();
    synchronized (threadLock) {
      thread = current;
    }
    workerName = current.getName();
    boolean started = false;
    try {
      if (!state.compareAndSet(State.PENDING, State.RUNNING)) {
        return; // handed back by stop, or cancelled, before it started
      }
      started = true;
      startedAt = services.clock().instant();
      scheduleTimeout();
      // "worker" is in the MDC for the whole life of the worker thread (see Worker.run); the task's
      // keys stay until the worker turns to something else than its next task (see TaskMdc).
      TaskMdc.put(task());
      emit(
          new TaskEvent.Started(
              task(), current.getName(), Duration.between(task().createdAt(), startedAt)));
      Throwable error = invokeHandler();
      if (leaseLost && state.compareAndSet(State.RUNNING, State.FINISHED)) {
        cancelTimeout(); // reported when the lease was found lost; another delivery owns the task
        // now
        log.debug(
            "task {}: handler ended after its lease expired; its result is not settled",
            task().id());
      } else if (error == null && state.compareAndSet(State.RUNNING, State.AWAITING_ACK)) {
        cancelTimeout();
        took = Duration.between(startedAt, services.clock().instant());
        acks.accept(this);
      } else if (error != null && state.compareAndSet(State.RUNNING, State.FINISHED)) {
        cancelTimeout();
        settle(error);
      }
    } finally {
      State end = state.get();
      if (started && (end == State.TIMED_OUT || end == State.CANCELLED)) {
        services.abandonedHandlers().decrementAndGet(); // its thread was given up, and is back
      }
      synchronized (threadLock) {
        thread = null; // after this, no interrupt is aimed at this thread on this task's behalf
      }
      // An interrupt left here was aimed at this task (timeout, stop or cancel), not at the next
      // one this thread runs.
      Thread.interrupted();
      leaveSlot();
    }
  }

  /**
   * Every throwable fails the attempt, errors included: a payload that overflows the stack then
   * goes through retries to the dead-letter queue instead of killing one worker after another. (An
   * OutOfMemoryError may recur elsewhere, but spending an attempt on it is still what bounds the
   * damage.)
   */
  private Throwable invokeHandler() {
    try {
      if (handler instanceof ResultTaskHandler withResult) {
        dev.dq.core.task.Payload returned = withResult.call(task());
        result =
            returned == null || returned.size() == 0 ? Optional.empty() : Optional.of(returned);
      } else {
        handler.handle(task());
      }
      return null;
    } catch (Throwable error) {
      return error;
    }
  }

  /**
   * Timer: the handler overran; interrupt it, fail the attempt, free the slot even if the handler
   * never returns.
   */
  void onTimeout(Duration limit) {
    services
        .abandonedHandlers()
        .incrementAndGet(); // before the CAS, so the worker's decrement never comes first
    if (!state.compareAndSet(State.RUNNING, State.TIMED_OUT)) {
      services.abandonedHandlers().decrementAndGet();
      return;
    }
    Thread t = interruptHandler();
    emit(new TaskEvent.TimedOut(task(), workerName(t), limit));
    settle(
        new TaskTimeoutException(
            "task " + task().id() + ": handler exceeded its timeout of " + limit));
    leaveSlot();
    onAbandoned.run();
  }

  /**
   * The task was cancelled ({@link TaskCancels#cancelRequested}): ends the delivery as cancelled at
   * once. A task not started yet never starts. A running handler is treated like one that overran
   * its timeout: it is interrupted, its thread is given up (counted in {@code abandonedHandlers}
   * until the handler returns, its slot and its type's permit freed, {@code onAbandoned} run so
   * that a fresh thread takes the worker's slot), and whatever the handler then does (returns,
   * throws, goes on), its result is not settled: no retry, no dead letter. A success awaiting its
   * ack, or a delivery another party settled, is left alone: the ack stands.
   *
   * @return true if this call ended the delivery as cancelled (the caller may count it)
   */
  boolean cancel(TaskCancels cancels) {
    State from = state.get();
    if (from != State.PENDING && from != State.RUNNING) {
      return false;
    }
    boolean running = from == State.RUNNING;
    if (running) {
      services.abandonedHandlers().incrementAndGet(); // before the CAS, as in onTimeout
    }
    if (!state.compareAndSet(from, State.CANCELLED)) {
      if (running) {
        services.abandonedHandlers().decrementAndGet();
      }
      return false;
    }
    cancelTimeout();
    Thread t = running ? interruptHandler() : null;
    try {
      cancels.settleCancelled(lease);
      emit(new TaskEvent.Cancelled(task(), workerName(t)));
    } catch (LeaseLostException lost) {
      // Its lease expired: the broker's mark ends the task as cancelled when it reclaims it.
      reportLeaseLost("cancel");
    } catch (RuntimeException brokerError) {
      // The lease is no longer renewed and expires; the broker's mark then ends it as cancelled.
      services
          .brokerErrors()
          .warn("task " + task().id() + ": could not settle it as cancelled", brokerError);
    }
    leaveSlot();
    if (running) {
      onAbandoned.run();
    }
    return true;
  }

  /**
   * Whether the handler's thread was given up while it ran (timed out, or cancelled while running):
   * the worker's slot is then handed over by whoever gave it up, or taken by stop.
   */
  boolean threadGivenUp() {
    State s = state.get();
    return s == State.TIMED_OUT || s == State.CANCELLED;
  }

  /**
   * Interrupts the worker thread running this execution, if it still does: under the lock the
   * thread takes to clear {@link #thread} before clearing its interrupt flag, so the interrupt
   * never reaches the next task that thread runs. Called only by the party whose CAS took the
   * execution from {@link State#RUNNING}.
   *
   * @return the thread interrupted, or null if the handler had returned already
   */
  private Thread interruptHandler() {
    synchronized (threadLock) {
      Thread t = thread;
      if (t != null) {
        t.interrupt();
      }
      return t;
    }
  }

  /**
   * Hands the task back without spending an attempt, ready again after {@code delay}; interrupts a
   * running handler. Used by stop, and for a parked task no longer wanted.
   */
  boolean handBack(String reason, Duration delay) {
    if (!giveUp()) {
      return false;
    }
    releaseGivenUp(reason, delay);
    return true;
  }

  /** After {@link #giveUp}: hands the task back to the broker. */
  void releaseGivenUp(String reason, Duration delay) {
    releaseQuietly(reason, delay);
    leaveSlot();
  }

  /**
   * After {@link #giveUp}: leaves the lease to expire (stop ran out of time to call the broker).
   */
  void dropGivenUp() {
    leaveSlot();
  }

  /**
   * Gives the delivery up without telling the broker: its lease was lost already, or stop ran out
   * of time to call the broker. The lease then expires and the task is delivered again
   * (at-least-once).
   */
  boolean abandonLease() {
    if (!giveUp()) {
      return false;
    }
    leaveSlot();
    return true;
  }

  /**
   * Takes the delivery away from whoever would settle it (a not yet started or running one);
   * interrupts a running handler. The caller then {@linkplain #releaseGivenUp releases} or
   * {@linkplain #dropGivenUp drops} it.
   *
   * @return false if it was settled, or is awaiting its ack, already
   */
  boolean giveUp() {
    State from = state.get();
    if ((from != State.PENDING && from != State.RUNNING)
        || !state.compareAndSet(from, State.RELEASED)) {
      return false;
    }
    cancelTimeout();
    if (from == State.RUNNING) {
      interruptHandler();
    }
    return true;
  }

  private void scheduleTimeout() {
    Optional<Duration> limit = services.config().timeoutFor(task());
    if (limit.isPresent()) {
      Duration d = limit.get();
      synchronized (this) {
        try {
          timeout = services.scheduler().schedule(() -> onTimeout(d), d);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
          // The pool's scheduler is shut down: stop is past its grace and hands this task back
          // itself.
        }
      }
    }
  }

  private synchronized void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel();
    }
  }

  /**
   * The batched ack was sent: {@code lost} tells whether the broker refused it. Called by the
   * worker that ran this, or by whichever thread flushes that worker's acks.
   */
  void acked(boolean lost) {
    if (!state.compareAndSet(State.AWAITING_ACK, State.FINISHED)) {
      return;
    }
    if (lost) {
      reportLeaseLost("ack");
    } else {
      boolean stored =
          result.isPresent() && services.broker() instanceof dev.dq.core.lifecycle.TaskLookup;
      emit(new TaskEvent.Succeeded(task(), workerName, took, stored));
    }
  }

  /**
   * The broker refused to store the result: it is larger than the broker's result limit. The
   * delivery is dead-lettered with error type {@link #RESULT_TOO_LARGE} instead of acked, so the
   * task is neither lost silently nor run again to produce the same oversized result.
   */
  void resultRefused(RuntimeException why) {
    if (!state.compareAndSet(State.AWAITING_ACK, State.FINISHED)) {
      return;
    }
    Instant now = services.clock().instant();
    Failure failure =
        new Failure(RESULT_TOO_LARGE, String.valueOf(why.getMessage()), task().attempt(), now);
    try {
      services.broker().deadLetter(lease, failure);
      emit(
          new TaskEvent.Failed(
              task(), workerName, took, RESULT_TOO_LARGE, failure.message(), Optional.empty()));
      emit(new TaskEvent.DeadLettered(task(), failure));
    } catch (LeaseLostException lost) {
      reportLeaseLost("ack");
    } catch (RuntimeException brokerError) {
      services
          .brokerErrors()
          .warn(
              "task " + task().id() + ": could not dead-letter its oversized result", brokerError);
    }
  }

  /**
   * The ack was sent but no answer came: it may have landed. The execution stays awaiting its ack,
   * lease renewed, and the same ack is asked again, which the broker answers exactly.
   *
   * @return true the first time, so that the caller names it once
   */
  boolean ackOutcomeUnknown() {
    if (ackInDoubt) {
      return false;
    }
    ackInDoubt = true;
    return true;
  }

  boolean isAckInDoubt() {
    return ackInDoubt;
  }

  /**
   * No answer about the ack came before the lease certainly expired: the task may run again, so it
   * counts as lost.
   */
  void ackAbandoned() {
    if (state.compareAndSet(State.AWAITING_ACK, State.FINISHED)) {
      reportLeaseLost("ack");
    }
  }

  /** Shutdown ran out of time to learn whether the ack landed; the caller logs it. */
  void ackUnconfirmed() {
    state.compareAndSet(State.AWAITING_ACK, State.FINISHED);
  }

  private void settle(Throwable error) {
    if (leaseLost) {
      log.debug("task {}: attempt failed after its lease expired; not settled", task().id());
      return;
    }
    Instant now = services.clock().instant();
    Duration took = startedAt == null ? Duration.ZERO : Duration.between(startedAt, now);
    String worker = workerName;
    try {
      Optional<Duration> retryIn =
          error instanceof NonRetryableException
              ? Optional.empty()
              : services.config().retryPolicy().retryDelay(task(), services.random());
      if (retryIn.isPresent()) {
        services
            .broker()
            .retryLater(lease, retryIn.get(), Failure.of(error, task().attempt(), now));
      } else {
        services.broker().deadLetter(lease, Failure.of(error, task().attempt(), now));
      }
      emit(
          new TaskEvent.Failed(
              task(), worker, took, error.getClass().getName(), error.getMessage(), retryIn));
      if (retryIn.isEmpty()) {
        emit(new TaskEvent.DeadLettered(task(), Failure.of(error, task().attempt(), now)));
      }
    } catch (TaskCancelledException cancelled) {
      emit(new TaskEvent.Cancelled(task(), worker)); // its retry ended it as cancelled
    } catch (LeaseLostException lost) {
      reportLeaseLost("fail");
    } catch (RuntimeException brokerError) {
      // The lease will expire and the task be delivered again: at-least-once, nothing lost.
      services.brokerErrors().warn("task " + task().id() + ": could not settle", brokerError);
    }
  }

  private void releaseQuietly(String reason, Duration delay) {
    try {
      services.broker().release(lease, delay);
      emit(new TaskEvent.Released(task(), reason));
    } catch (TaskCancelledException cancelled) {
      emit(new TaskEvent.Cancelled(task(), services.config().workerName()));
    } catch (LeaseLostException lost) {
      reportLeaseLost("release");
    } catch (RuntimeException brokerError) {
      services.brokerErrors().warn("task " + task().id() + ": could not hand back", brokerError);
    }
  }

  private void leaveSlot() {
    if (counted && slotLeft.compareAndSet(false, true)) {
      onSlotLeft.accept(this);
    }
  }

  private void emit(TaskEvent event) {
    try {
      services.listener().on(event);
    } catch (RuntimeException e) {
      log.warn("task event listener failed on {}", event.getClass().getSimpleName(), e);
    }
  }

  private String workerName(Thread t) {
    return t != null ? t.getName() : services.config().workerName();
  }
}
