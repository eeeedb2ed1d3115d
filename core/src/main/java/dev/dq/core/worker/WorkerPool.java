package dev.dq.core.worker;

import dev.dq.core.port.Broker;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed number of worker slots that take tasks from a {@link Broker} and run them through the handler registered
 * for their type.
 *
 * <ul>
 *   <li>Each slot is a thread that dequeues and runs the handler itself: no hand-off between threads per task. Idle
 *       workers block in the broker.
 *   <li>A handler that overruns its timeout is interrupted and its slot given to a fresh thread, even if the handler
 *       never returns ({@link #abandonedHandlers()} counts those still running).
 *   <li>Failures are retried per the {@link dev.dq.core.retry.RetryPolicy} by handing the task back to the broker
 *       with a not-before time: no thread waits out a backoff.
 *   <li>A heartbeat extends the leases of the tasks this pool holds every third of the lease time, so only tasks of a
 *       dead pool are delivered again; a reaper reclaims expired leases of any pool.
 * </ul>
 *
 * <p>Thread-safe. {@link #start()} once; {@link #stop(Duration)} is idempotent.
 */
public final class WorkerPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
  private static final Duration WORKER_JOIN = Duration.ofMillis(500);
  private static final Duration HAND_BACK_BOUND = Duration.ofSeconds(2);
  private static final int NEW = 0;
  private static final int RUNNING = 1;
  private static final int STOPPED = 2;

  private final PoolContext ctx;
  private final Map<String, TaskHandler> handlers;
  private final Dispatcher dispatcher;
  private final Set<Execution> held = ConcurrentHashMap.newKeySet();
  private final Queue<Execution> runnable = new ConcurrentLinkedQueue<>();
  private final Map<Worker, Thread> workers = new ConcurrentHashMap<>();
  private final ThreadFactory threads;
  private final Object idle = new Object();
  private final AtomicInteger lifecycle = new AtomicInteger(NEW);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopResult;

  private WorkerPool(Builder b) {
    WorkerPoolConfig config = b.config;
    this.handlers = Map.copyOf(b.handlers);
    this.threads = daemonThreads(config.workerName());
    var timer = new ScheduledThreadPoolExecutor(2, daemonThreads(config.workerName() + "-timer"));
    // A cancelled timeout (the usual case: the handler finished) must not sit in the queue until it would have fired.
    timer.setRemoveOnCancelPolicy(true);
    this.ctx =
        new PoolContext(
            b.broker,
            config,
            b.clock,
            b.listener,
            b.random,
            timer,
            new RateLimitedLog(log, b.clock, Duration.ofSeconds(3)),
            new AtomicLong());
    this.dispatcher = new Dispatcher(config.concurrency(), config.maxDeferred());
  }

  public static Builder builder(Broker broker) {
    return new Builder(broker);
  }

  /** Starts the workers, heartbeat and reaper. @throws IllegalStateException if started before */
  public void start() {
    if (!lifecycle.compareAndSet(NEW, RUNNING)) {
      throw new IllegalStateException("pool was started before");
    }
    WorkerPoolConfig config = ctx.config();
    for (int slot = 0; slot < config.workers(); slot++) {
      launch(new Worker(this, ctx, slot, new Worker.Backlog()));
    }
    long beat = Math.max(1, config.leaseTime().toMillis() / 3);
    ctx.timer().scheduleWithFixedDelay(new Heartbeat(ctx, held), beat, beat, TimeUnit.MILLISECONDS);
    long reap = config.reapInterval().toMillis();
    ctx.timer().scheduleWithFixedDelay(new Reaper(ctx), reap, reap, TimeUnit.MILLISECONDS);
    log.info("worker pool started: {} workers on queues {}", config.workers(), config.queues());
  }

  /**
   * Takes no new tasks, waits up to {@code grace} for running handlers, then interrupts the rest and hands their tasks
   * back to the broker without spending an attempt. Returns within {@code grace} plus a small bound even if a handler
   * ignores interrupts. Does not close the broker. Returns at once when already stopped.
   *
   * @return true if every handler finished within {@code grace}
   */
  public boolean stop(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    int was = lifecycle.getAndSet(STOPPED);
    if (was == NEW) {
      ctx.timer().shutdownNow();
      stopped.countDown();
      return true;
    }
    if (was == STOPPED) {
      return awaitFirstStop(grace);
    }
    // Handing back costs a broker call per task; past this point the rest are left to expire, so that stop stays
    // bounded even when the broker is unreachable.
    long handBackDeadline = System.nanoTime() + grace.toNanos() + HAND_BACK_BOUND.toNanos();
    workers.forEach(Worker::interruptIfFetching);
    for (Execution parked : dispatcher.closeAndDrain()) {
      handBackBy(parked, "shutdown", handBackDeadline);
    }
    for (Execution e; (e = runnable.poll()) != null; ) {
      handBackBy(e, "shutdown", handBackDeadline);
    }
    boolean clean = awaitIdle(grace);
    if (!clean) {
      log.warn("shutdown grace {} exceeded, interrupting {} handlers", grace, held.size());
      for (Execution e : List.copyOf(held)) {
        handBackBy(e, "shutdown", handBackDeadline);
        held.remove(e);
      }
    }
    ctx.timer().shutdownNow();
    joinWorkers();
    log.info("worker pool stopped{}", clean ? "" : " (grace exceeded)");
    stopResult = clean;
    stopped.countDown();
    return clean;
  }

  /** A second stop waits for the first one, which is bounded, and returns its result. */
  private boolean awaitFirstStop(Duration grace) {
    try {
      if (stopped.await(grace.toNanos() + HAND_BACK_BOUND.toNanos() + WORKER_JOIN.toNanos() * 2,
          TimeUnit.NANOSECONDS)) {
        return stopResult;
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void handBackBy(Execution e, String reason, long deadlineNanos) {
    if (System.nanoTime() - deadlineNanos < 0) {
      e.handBack(reason, Duration.ZERO);
    } else {
      e.abandonLease();
    }
    held.remove(e);
  }

  /** Same as {@code stop(Duration.ofSeconds(10))}. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  /** Handlers that overran their timeout and have not returned yet. */
  public long abandonedHandlers() {
    return ctx.abandonedHandlers().get();
  }

  /** Worker slots running a handler right now (a snapshot, for gauges); idle = {@code workers - busy}. */
  public int busyWorkers() {
    int busy = 0;
    for (Execution e : held) {
      if (e.state() == Execution.State.RUNNING) {
        busy++;
      }
    }
    return busy;
  }

  /** Tasks this pool holds right now (running or parked for a saturated type). */
  public int heldTasks() {
    return held.size();
  }

  boolean isRunning() {
    return lifecycle.get() == RUNNING;
  }

  /** A parked task that may run now, if any. */
  Execution takeRunnable() {
    return runnable.poll();
  }

  /**
   * Wraps a fresh lease for running later and adds it to {@code claimed}; a task of a type nobody handles is
   * dead-lettered instead.
   */
  void wrap(Lease lease, Queue<Execution> claimed) {
    TaskHandler handler = handlers.get(lease.task().type());
    if (handler == null) {
      deadLetterUnknownType(lease);
      return;
    }
    Execution execution = new Execution(ctx, lease, handler, this::ended);
    held.add(execution);
    claimed.add(execution);
  }

  /** Decides whether a claimed task runs now on the caller's thread (returned), waits parked, or goes back. */
  Execution admit(Execution execution) {
    if (!isRunning()) {
      handBack(execution, "shutdown", Duration.ZERO);
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
        handBack(execution, "type saturated", ctx.config().saturatedRequeueDelay());
        return null;
      default:
        handBack(execution, "shutdown", Duration.ZERO);
        return null;
    }
  }

  /** Sends the acks of successful executions in one broker call and reports each outcome. */
  /**
   * @return false if the broker could not be reached: the executions stay awaiting their ack (and renewed), for the
   *     caller to try again or {@linkplain #giveUpAcks give up}
   */
  boolean ackAll(List<Execution> succeeded) {
    List<Lease> leases = new ArrayList<>(succeeded.size());
    succeeded.forEach(e -> leases.add(e.lease()));
    try {
      Set<Lease> lost = Collections.newSetFromMap(new IdentityHashMap<>());
      lost.addAll(ctx.broker().ackAll(leases)); // brokers return the very lease objects they were given
      for (int i = 0; i < succeeded.size(); i++) {
        Execution e = succeeded.get(i);
        e.acked(lost.contains(leases.get(i)));
        held.remove(e);
      }
    } catch (RuntimeException brokerError) {
      ctx.brokerErrors().warn("could not ack " + succeeded.size() + " tasks", brokerError);
      return false;
    }
    signalIfStopping();
    return true;
  }

  /** Stops trying to ack: the leases will expire and the tasks be delivered again (at-least-once, nothing lost). */
  void giveUpAcks(List<Execution> unacked) {
    for (Execution e : unacked) {
      e.ackFailed();
      held.remove(e);
    }
    signalIfStopping();
  }

  /** The worker's handler overran and did not return: a fresh thread takes its slot. */
  void replace(Worker abandoned) {
    workers.remove(abandoned);
    if (isRunning()) {
      launch(new Worker(this, ctx, abandoned.slot(), abandoned.backlog()));
    } else {
      Worker.Backlog backlog = abandoned.backlog();
      if (!ackAll(backlog.unacked)) {
        giveUpAcks(backlog.unacked);
      }
      backlog.unacked.clear();
      for (Execution e; (e = backlog.claimed.poll()) != null; ) {
        handBack(e, "shutdown", Duration.ZERO);
      }
    }
  }

  private void launch(Worker worker) {
    Thread thread = threads.newThread(worker);
    workers.put(worker, thread);
    thread.start();
  }

  void handBack(Execution execution, String reason, Duration delay) {
    execution.handBack(reason, delay);
    held.remove(execution);
  }

  /** An admitted execution stopped running (finished, timed out or handed back). */
  private void ended(Execution execution) {
    if (execution.state() != Execution.State.AWAITING_ACK) {
      held.remove(execution); // a success awaiting its batched ack stays held, so its lease is still renewed
    }
    Execution next = dispatcher.finish(execution.type());
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
        new Failure("no-handler", "no handler for type " + type, lease.task().attempt(), ctx.clock().instant());
    try {
      ctx.broker().deadLetter(lease, failure);
      ctx.listener().on(new TaskEvent.DeadLettered(lease.task(), failure));
    } catch (LeaseLostException lost) {
      ctx.listener().on(new TaskEvent.LeaseLost(lease.task(), "dead-letter"));
    } catch (RuntimeException e) {
      ctx.brokerErrors().warn("task " + lease.task().id() + ": could not dead-letter", e);
    }
  }

  private boolean awaitIdle(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    synchronized (idle) {
      while (!held.isEmpty()) {
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

  private void joinWorkers() {
    long deadline = System.nanoTime() + WORKER_JOIN.toNanos();
    for (Thread thread : workers.values()) {
      long left = deadline - System.nanoTime();
      try {
        if (left > 0) {
          thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (thread.isAlive()) {
        log.debug("worker {} still blocked in the broker; it hands back anything it receives", thread.getName());
      }
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Builds a {@link WorkerPool}. */
  public static final class Builder {
    private final Broker broker;
    private final Map<String, TaskHandler> handlers = new HashMap<>();
    private WorkerPoolConfig config = WorkerPoolConfig.builder().build();
    private InstantSource clock = InstantSource.system();
    private TaskEventListener listener = TaskEventListener.NONE;
    private RandomGenerator random = new Random();

    private Builder(Broker broker) {
      this.broker = Objects.requireNonNull(broker, "broker");
    }

    public Builder config(WorkerPoolConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Registers the handler of one task type; a later registration of the same type replaces it. */
    public Builder handler(String type, TaskHandler handler) {
      handlers.put(dev.dq.core.task.Names.check("task type", type), Objects.requireNonNull(handler, "handler"));
      return this;
    }

    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public Builder listener(TaskEventListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Source of backoff jitter; must be thread-safe (default {@link Random}). */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    public WorkerPool build() {
      return new WorkerPool(this);
    }
  }
}
