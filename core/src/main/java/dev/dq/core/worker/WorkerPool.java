package dev.dq.core.worker;

import dev.dq.core.port.Broker;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// Over 300 lines: its bounded stop needs the worker threads, the held tasks and the lifecycle
// together (the rest of
// what it holds is in HeldTasks), and its Builder is public API.
/**
 * A fixed number of worker slots that take tasks from a {@link Broker} and run them through the
 * handler registered for their type.
 *
 * <ul>
 *   <li>Each slot is a thread that dequeues and runs the handler itself: no hand-off between
 *       threads per task. Idle workers block in the broker. Only {@link #stop} ends a worker; a
 *       stray interrupt between tasks is ignored.
 *   <li>A handler that overruns its timeout is interrupted and its slot given to a fresh thread,
 *       even if the handler never returns ({@link #abandonedHandlers()} counts those still
 *       running). So is the handler of a task cancelled while it runs ({@link
 *       dev.dq.core.lifecycle.TaskCancels}, checked every 250 ms).
 *   <li>Failures are retried per the {@link dev.dq.core.retry.RetryPolicy} by handing the task back
 *       to the broker with a not-before time: no thread waits out a backoff.
 *   <li>A heartbeat extends the leases of the tasks this pool holds every third of the lease time,
 *       many per broker call, so only tasks of a dead pool are delivered again; a reaper reclaims
 *       expired leases of any pool. Both run on the pool's {@link Scheduler}, each on a thread of
 *       its own by default, and timeouts on a timer of their own, so a slow broker call of either
 *       never delays them. Neither job ever stops for a throwable: failures are counted ({@link
 *       #heartbeatFailures()}, {@link #reaperFailures()}) and logged, and {@link
 *       #renewalsFailing()} tells whether leases are being renewed.
 *   <li>A lease that expires while the pool holds its task (no renewal got through in time) is
 *       logged at WARN with the task id and reported as {@link TaskEvent.LeaseLost} "renew"; the
 *       late result of its handler is not settled.
 *   <li>An ack whose outcome is unknown (no reply) is asked again with the same leases, which the
 *       broker answers exactly, until an answer comes or the leases have certainly expired;
 *       meanwhile the leases are renewed.
 * </ul>
 *
 * <p>Thread-safe. {@link #start()} once; {@link #stop(Duration)} is idempotent and returns within
 * its grace plus {@link #STOP_BOUND}.
 */
public final class WorkerPool implements AutoCloseable {
  /**
   * How long {@link #stop(Duration)} may take beyond its grace: for interrupting overrunning
   * handlers, acking the successes waiting for a batch, handing back tasks not started and waiting
   * for worker threads. What does not fit is left to lease expiry (the tasks run again later:
   * at-least-once, nothing lost).
   */
  public static final Duration STOP_BOUND = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  private final PoolServices services;
  private final Lifecycle lifecycle = new Lifecycle();
  private final HeldTasks tasks;
  private final Map<Worker, Thread> workers = new ConcurrentHashMap<>();
  private final ThreadFactory threads;
  private final Scheduler scheduler;

  /** The default scheduler, which this pool made and shuts down; null if it was given one. */
  private final ThreadScheduler ownScheduler;

  private final Periodic heartbeat;
  private final Periodic reaper;
  private final List<Scheduler.Handle> jobs = new CopyOnWriteArrayList<>();
  private volatile Trimmer trimmer; // null unless the broker keeps ended tasks
  private final ProcessBeat processBeat; // null unless the broker lists worker processes
  private final ThroughputTally tally; // null unless the broker keeps throughput
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopResult;

  private WorkerPool(Builder b) {
    WorkerPoolConfig config = b.config;
    this.threads = ThreadScheduler.daemonThreads(config.workerName());
    this.ownScheduler = b.scheduler == null ? new ThreadScheduler(config.workerName()) : null;
    this.scheduler = b.scheduler == null ? ownScheduler : b.scheduler;
    this.tally =
        ThroughputTally.of(b.broker, new RateLimitedLog(log, b.clock, Duration.ofSeconds(30)));
    this.services =
        new PoolServices(
            b.broker,
            config,
            b.clock,
            tally == null ? b.listener : TaskEventListener.all(List.of(tally, b.listener)),
            b.random,
            scheduler,
            new RateLimitedLog(log, b.clock, Duration.ofSeconds(3)),
            new AtomicLong(),
            QueueSelection.of(config, b.clock));
    this.tasks = new HeldTasks(services, lifecycle, b.handlers);
    this.processBeat = ProcessBeat.of(services, tasks::executions);
    this.heartbeat =
        new Periodic(
            "lease renewal",
            new Heartbeat(services, tasks::executions),
            services,
            new RateLimitedLog(log, b.clock, Duration.ofSeconds(3)),
            config.leaseTime());
    this.reaper =
        new Periodic(
            "reaper",
            new Reaper(services),
            services,
            new RateLimitedLog(log, b.clock, Duration.ofSeconds(3)),
            config.reapInterval().multipliedBy(3));
  }

  /**
   * A builder of a pool that takes tasks from {@code broker}.
   *
   * @param broker where tasks come from and are settled
   * @return a new builder
   */
  public static Builder builder(Broker broker) {
    return new Builder(broker);
  }

  /**
   * Starts the workers, heartbeat and reaper.
   *
   * @throws IllegalStateException if started before
   */
  public void start() {
    lifecycle.start();
    WorkerPoolConfig config = services.config();
    for (int slot = 0; slot < config.workers(); slot++) {
      launch(new Worker(tasks, services, slot, tasks.newBacklog(), this::replace));
    }
    heartbeat.starting();
    reaper.starting();
    Duration beat = Duration.ofMillis(Math.max(1, config.leaseTime().toMillis() / 3));
    jobs.add(scheduler.scheduleWithFixedDelay("heartbeat", heartbeat, beat, beat));
    Duration reap = Duration.ofMillis(config.reapInterval().toMillis());
    jobs.add(scheduler.scheduleWithFixedDelay("reaper", reaper, reap, reap));
    startPauseGuard();
    startCancelGuard();
    startTrimmer();
    startReporting();
    log.info("worker pool started: {} workers on queues {}", config.workers(), config.queues());
  }

  /**
   * With a broker that keeps ended tasks ({@link dev.dq.core.lifecycle.TaskRetention}): trims every
   * queue every {@link Trimmer#INTERVAL}, while no other pool of this process trims it (taking over
   * when that pool stops).
   */
  private void startTrimmer() {
    Trimmer trimmer = Trimmer.of(services);
    if (trimmer == null) {
      return;
    }
    this.trimmer = trimmer;
    schedule(
        "retention trim",
        trimmer,
        Trimmer.INTERVAL,
        Trimmer.INTERVAL,
        Trimmer.INTERVAL.multipliedBy(6),
        Duration.ofSeconds(30));
  }

  /**
   * With a broker that lists worker processes, reports this one now and every {@link
   * ProcessBeat#INTERVAL}; with one that keeps throughput, records the counts as often.
   */
  private void startReporting() {
    if (processBeat != null) {
      schedule(
          "process heartbeat",
          processBeat,
          Duration.ZERO,
          ProcessBeat.INTERVAL,
          ProcessBeat.TTL,
          Duration.ofSeconds(30));
    }
    if (tally != null) {
      schedule(
          "throughput record",
          tally,
          ThroughputTally.INTERVAL,
          ThroughputTally.INTERVAL,
          ThroughputTally.INTERVAL.multipliedBy(6),
          Duration.ofSeconds(30));
    }
  }

  /** The pool stopped: records the last counts and removes the process from the list. */
  private void stopReporting() {
    if (tally != null) {
      tally.runOnce();
    }
    if (processBeat != null) {
      processBeat.deregister();
    }
  }

  /** With a broker that pauses queues: keeps tasks of paused queues from starting here. */
  private void startPauseGuard() {
    PauseGuard guard = tasks.pauses();
    if (guard.active()) {
      guard.listen();
      startGuard("pause check", guard, PauseGuard.INTERVAL);
    }
  }

  /** With a broker that cancels tasks: ends the deliveries of cancelled tasks held here. */
  private void startCancelGuard() {
    CancelGuard guard = tasks.cancels();
    if (guard.active()) {
      startGuard("cancel check", guard, CancelGuard.INTERVAL);
    }
  }

  /** Runs one of the guards' periodic checks every {@code interval}. */
  private void startGuard(String name, Periodic.Job guard, Duration interval) {
    schedule(name, guard, interval, interval, interval.multipliedBy(20), Duration.ofSeconds(3));
  }

  /**
   * Runs {@code job} every {@code every} after {@code first}, as a {@link Periodic} that counts as
   * unhealthy after {@code staleAfter} without a successful run and logs its failures at most once
   * per {@code logEvery}.
   */
  private void schedule(
      String name,
      Periodic.Job job,
      Duration first,
      Duration every,
      Duration staleAfter,
      Duration logEvery) {
    Periodic periodic =
        new Periodic(
            name, job, services, new RateLimitedLog(log, services.clock(), logEvery), staleAfter);
    periodic.starting();
    jobs.add(scheduler.scheduleWithFixedDelay(name, periodic, first, every));
  }

  /**
   * Takes no new tasks and hands back the claimed ones not started yet, waits up to {@code grace}
   * for running handlers, then interrupts the rest and hands their tasks back to the broker without
   * spending an attempt. Successes waiting for a batched ack are acked first, also those of a
   * handler's worker that ignores the interrupt. Does not close the broker.
   *
   * <p>Returns within {@code grace} plus {@link #STOP_BOUND}, even if handlers ignore interrupts or
   * the broker is slow: the work runs on a thread of its own, and what it has not done by then is
   * left to lease expiry. A later or concurrent call waits for the first one to finish, up to its
   * own {@code grace} plus the bound, and returns its result (false if its bound passed first).
   *
   * @param grace how long to wait for running handlers before interrupting them
   * @return true if every handler finished within {@code grace} and stop finished within its bound
   */
  public boolean stop(Duration grace) {
    Objects.requireNonNull(grace, "grace");
    long began = System.nanoTime();
    long bound = grace.toNanos() + STOP_BOUND.toNanos();
    Lifecycle.State was = lifecycle.beginStop(began + bound);
    if (was == Lifecycle.State.RUNNING) {
      workers.forEach(Worker::interruptIfFetching);
      Thread stopper =
          new Thread(() -> shutDown(grace, began), services.config().workerName() + "-stop");
      stopper.setDaemon(true);
      stopper.start();
    } else if (was == Lifecycle.State.NEW) {
      shutDownTimers();
      stopResult = true;
      stopped.countDown();
    }
    return awaitStopped(began + bound);
  }

  private boolean awaitStopped(long deadline) {
    try {
      if (stopped.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        return stopResult;
      }
      log.warn(
          "stop did not finish within its bound; what it has not handed back runs again after lease expiry");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stop's work, on its own thread. */
  private void shutDown(Duration grace, long began) {
    long graceEnd = began + grace.toNanos();
    long stopDeadline = lifecycle.stopDeadline();
    boolean clean = false;
    try {
      tasks.closeForStop(); // parked tasks are held too: handed back below with the other unstarted
      // ones
      List<Execution> unstarted = tasks.inState(Execution.State.PENDING);
      if (!unstarted.isEmpty()) {
        log.info("stopping: handing back {} prefetched tasks not started", unstarted.size());
      }
      tasks.handBackUntil(unstarted, graceEnd);
      clean = tasks.awaitNoneRunning(graceEnd);
      if (!clean) {
        interruptOverrunning(grace);
      }
      takeGivenUpSlots();
      tasks.handBackUntil(tasks.inState(Execution.State.PENDING), stopDeadline);
      joinWorkers();
      if (tasks.size() > 0) {
        log.warn(
            "stop bound reached with tasks {} still held; they run again once their leases expire",
            Acks.ids(tasks.executions()));
      }
    } catch (RuntimeException | Error e) {
      clean = false;
      log.error(
          "stopping the worker pool failed; unfinished tasks run again once their leases expire",
          e);
    } finally {
      shutDownTimers();
      stopReporting();
      log.info("worker pool stopped{}", clean ? "" : " (grace exceeded)");
      stopResult = clean && System.nanoTime() - stopDeadline <= 0;
      lifecycle.stopped();
      stopped.countDown();
    }
  }

  /**
   * Grace is over: interrupts every running handler, takes the slots of those that do not return
   * and acks their workers' waiting successes (a success left unacked would run again), then hands
   * the interrupted tasks back. Their claimed tasks, still held and not started, go back with the
   * others after this.
   */
  private void interruptOverrunning(Duration grace) {
    List<Execution> interrupted = new ArrayList<>();
    List<Worker> taken = new ArrayList<>();
    for (Worker w : workers.keySet()) {
      Execution e = w.current();
      if (e != null && e.giveUp()) {
        interrupted.add(e);
        if (w.takeOver(e)) {
          taken.add(w);
        }
      }
    }
    for (Execution e : tasks.inState(Execution.State.RUNNING)) {
      if (e.giveUp()) {
        interrupted.add(e); // started after the loop above saw its worker
      }
    }
    log.warn(
        "shutdown grace {} exceeded: interrupting {} running handlers", grace, interrupted.size());
    for (Worker w : taken) {
      workers.remove(w);
      tasks.flushBeforeExit(w.backlog().unacked);
    }
    for (Execution e : interrupted) {
      if (System.nanoTime() - lifecycle.stopDeadline() < 0) {
        e.releaseGivenUp("shutdown", Duration.ZERO);
      } else {
        e.dropGivenUp();
      }
    }
  }

  /**
   * Takes the slots of workers whose handler was given up while it ran (timed out, or its task
   * cancelled) and that the timer or the cancel guard has not handed over yet, and acks their
   * waiting successes now: such a handler's thread may never return, and the running count that
   * stop waits on does not include it.
   */
  private void takeGivenUpSlots() {
    for (Worker w : workers.keySet()) {
      Execution e = w.current();
      if (e != null && e.threadGivenUp() && w.takeOver(e)) {
        workers.remove(w);
        tasks.flushBeforeExit(w.backlog().unacked);
      }
    }
  }

  /** Same as {@code stop(Duration.ofSeconds(10))}. */
  @Override
  public void close() {
    stop(Duration.ofSeconds(10));
  }

  /**
   * Handlers given up while they ran, because they overran their timeout or their task was
   * cancelled, that have not returned yet.
   *
   * @return their number
   */
  public long abandonedHandlers() {
    return services.abandonedHandlers().get();
  }

  /**
   * Heartbeat runs that failed, in part (a broker call) or whole (any throwable), since the pool
   * started.
   *
   * @return their number
   */
  public long heartbeatFailures() {
    return heartbeat.failures();
  }

  /**
   * Reaper runs that failed since the pool started.
   *
   * @return their number
   */
  public long reaperFailures() {
    return reaper.failures();
  }

  /**
   * True while lease renewal is failing: its last run failed, or none has succeeded for a lease
   * time (stuck in the broker). Held tasks may then lose their leases and run again elsewhere.
   *
   * @return whether renewals are failing
   */
  public boolean renewalsFailing() {
    return lifecycle.isRunning() && !heartbeat.healthy();
  }

  /**
   * Worker slots running a handler right now (a snapshot, for gauges); idle = {@code workers -
   * busy}.
   *
   * @return their number
   */
  public int busyWorkers() {
    return tasks.running();
  }

  /**
   * Worker slots running a handler right now, per served queue (a snapshot, for gauges): how the
   * queues share the slots, see {@link WorkerPoolConfig#weights()}.
   *
   * @return each served queue's busy slots, in the order served, zeros included
   */
  public Map<String, Integer> busyWorkersByQueue() {
    Map<String, Integer> busy = new LinkedHashMap<>();
    for (String queue : services.config().queues()) {
      busy.put(queue, 0);
    }
    for (Execution e : tasks.inState(Execution.State.RUNNING)) {
      busy.merge(e.task().queue(), 1, Integer::sum);
    }
    return busy;
  }

  /**
   * Tasks this pool holds right now (running, claimed or parked, or awaiting their ack).
   *
   * @return their number
   */
  public int heldTasks() {
    return tasks.size();
  }

  /** The worker's handler overran and did not return: a fresh thread takes its slot. */
  private void replace(Worker abandoned) {
    workers.remove(abandoned);
    if (lifecycle.isRunning()) {
      launch(new Worker(tasks, services, abandoned.slot(), abandoned.backlog(), this::replace));
    } else {
      tasks.settleBacklog(abandoned.backlog());
    }
  }

  private void launch(Worker worker) {
    Thread thread = threads.newThread(worker);
    workers.put(worker, thread);
    thread.start();
  }

  /**
   * Waits for the worker threads (they ack and hand back what they hold as they exit) until stop's
   * deadline.
   */
  private void joinWorkers() {
    for (Thread thread : workers.values()) {
      long left = lifecycle.stopDeadline() - System.nanoTime();
      try {
        if (left > 0) {
          TimeUnit.NANOSECONDS.timedJoin(thread, left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (thread.isAlive()) {
        log.debug(
            "worker {} still blocked in the broker; it hands back anything it receives",
            thread.getName());
      }
    }
  }

  /**
   * Ends the heartbeat and the reaper, and pending timeouts too if the scheduler is the pool's own.
   */
  private void shutDownTimers() {
    jobs.forEach(Scheduler.Handle::cancel);
    Trimmer t = trimmer;
    if (t != null) {
      t.unclaim();
    }
    if (ownScheduler != null) {
      ownScheduler.shutdownNow();
    }
  }

  /** Builds a {@link WorkerPool}. */
  public static final class Builder {
    private final Broker broker;
    private final Map<String, TaskHandler> handlers = new HashMap<>();
    private WorkerPoolConfig config = WorkerPoolConfig.builder().build();
    private InstantSource clock = InstantSource.system();
    private TaskEventListener listener = TaskEventListener.NONE;
    private RandomGenerator random = new Random();
    private Scheduler scheduler;

    private Builder(Broker broker) {
      this.broker = Objects.requireNonNull(broker, "broker");
    }

    /**
     * The pool's settings (default {@code WorkerPoolConfig.builder().build()}).
     *
     * @param config the settings
     * @return this builder
     */
    public Builder config(WorkerPoolConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Registers the handler of one task type; a later registration of the same type replaces it.
     *
     * @param type the task type
     * @param handler its handler
     * @return this builder
     */
    public Builder handler(String type, TaskHandler handler) {
      handlers.put(
          dev.dq.core.task.Names.check("task type", type),
          Objects.requireNonNull(handler, "handler"));
      return this;
    }

    /**
     * Registers a handler under the type it names ({@link NamedTaskHandler#type()}); a later
     * registration of the same type replaces it.
     *
     * @param handler the handler
     * @return this builder
     */
    public Builder handler(NamedTaskHandler handler) {
      return handler(Objects.requireNonNull(handler, "handler").type(), handler);
    }

    /**
     * The clock the pool reads (default the system clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Told of every {@link TaskEvent} of the pool (default {@link TaskEventListener#NONE}).
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(TaskEventListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Source of backoff jitter; must be thread-safe (default {@link Random}).
     *
     * @param random the source
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Where the pool runs its timeouts, heartbeat and reaper (default {@link Scheduler#threads},
     * named after {@link WorkerPoolConfig#workerName()}). The pool cancels its jobs when it stops
     * but does not shut a given scheduler down.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Builds the pool, not started yet.
     *
     * @return the pool
     */
    public WorkerPool build() {
      return new WorkerPool(this);
    }
  }
}
