package dev.dq.adapter.memory;

import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.Completion;
import dev.dq.core.lifecycle.DeleteOutcome;
import dev.dq.core.lifecycle.Retention;
import dev.dq.core.lifecycle.RunNowOutcome;
import dev.dq.core.lifecycle.TaskCancels;
import dev.dq.core.lifecycle.TaskControls;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskLookup;
import dev.dq.core.lifecycle.TaskRetention;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.lifecycle.Trimmed;
import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.lifecycle.UniqueOutcome;
import dev.dq.core.lifecycle.UniqueTasks;
import dev.dq.core.limit.Limit;
import dev.dq.core.limit.LimitTarget;
import dev.dq.core.limit.LimitedClaims;
import dev.dq.core.limit.Limits;
import dev.dq.core.ops.LiveWorker;
import dev.dq.core.ops.TaskBrowser;
import dev.dq.core.ops.TaskPage;
import dev.dq.core.ops.Throughput;
import dev.dq.core.ops.ThroughputCounts;
import dev.dq.core.ops.ThroughputPoint;
import dev.dq.core.ops.WorkerRegistry;
import dev.dq.core.ops.WorkerStatus;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import dev.dq.core.port.QueueAdmin;
import dev.dq.core.port.QueuePause;
import dev.dq.core.port.QueuePauses;
import dev.dq.core.port.QueueStats;
import dev.dq.core.port.TaskCancelledException;
import dev.dq.core.schedule.ScheduleHost;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Names;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.task.TaskLimits;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

// Over 300 lines: each Broker operation is a few lines under the store lock; state is in Store.
/**
 * A {@link Broker} held in this JVM's memory: for tests, demos and single-process use. Tasks do not
 * survive the process. Time (lease expiry, delayed tasks) comes only from the injected clock, so
 * tests drive it with a fake one.
 *
 * <p>Strict like a good fake: settling an unknown, settled, foreign or expired lease throws {@link
 * LeaseLostException}, and {@link #assertNoLeakedLeases()} lets a test prove it settled every lease
 * it took. The one leniency is the port's: {@link #ackAll} called again reports the leases an
 * earlier {@code ackAll} acked as acked.
 *
 * <p>Thread-safe: one lock guards all state (see {@link Store}).
 */
public final class InMemoryBroker
    implements Broker,
        QueueAdmin,
        ScheduleHost,
        Limits,
        QueuePauses,
        TaskCancels,
        TaskControls,
        TaskLookup,
        UniqueTasks,
        TaskRetention,
        WorkerRegistry,
        Throughput,
        TaskBrowser {
  private final Store store;
  private final MemoryWorkers workerRegistry;
  private final MemoryThroughput throughput;
  private final Intake intake;
  private final InMemoryDeadLetterQueue deadLetters;
  private final InMemorySchedules schedules;
  private final AckMemory acks = new AckMemory(); // guarded by store.lock
  private final LimitGate gate = new LimitGate(); // guarded by store.lock
  private final Pauses pauses = new Pauses();
  private final Cancels cancels = new Cancels(); // guarded by store.lock
  private final TaskLimits limits;
  private final InMemoryRetention retention;

  private InMemoryBroker(Builder b) {
    this.store = new Store(b.clock, b.capacity);
    this.workerRegistry = new MemoryWorkers(b.clock);
    this.throughput = new MemoryThroughput(b.clock);
    this.intake = new Intake(store, b.limits);
    this.limits = b.limits;
    this.deadLetters = new InMemoryDeadLetterQueue(store);
    this.schedules = new InMemorySchedules(store, this);
    this.retention = new InMemoryRetention(store);
  }

  /**
   * A builder whose defaults are the system clock, room for 10,000 waiting tasks per queue and
   * {@link TaskLimits#DEFAULT}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * This broker's dead-letter queue: {@link #deadLetter} moves tasks into it, and its requeues come
   * back here.
   *
   * @return the dead-letter queue that shares this broker's state
   */
  public InMemoryDeadLetterQueue deadLetterQueue() {
    return deadLetters;
  }

  /**
   * This broker's periodic schedules: their fires enqueue here.
   *
   * @return the schedules that share this broker's state
   */
  @Override
  public InMemorySchedules schedules() {
    return schedules;
  }

  @Override
  public void enqueue(Task task, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(task, "task");
    intake.admit(List.of(task), now -> now, timeout);
  }

  @Override
  public void enqueueAt(Task task, Instant notBefore, Duration timeout)
      throws InterruptedException {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(notBefore, "notBefore");
    intake.admit(List.of(task), now -> notBefore, timeout);
  }

  /**
   * The delay starts when the task is admitted, on this broker's clock, after any wait for room.
   */
  @Override
  public void enqueueIn(Task task, Duration delay, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(task, "task");
    Checks.nonNegative("delay", delay);
    intake.admit(List.of(task), now -> now.plus(delay), timeout);
  }

  @Override
  public void enqueueAll(List<Task> tasks, Duration timeout) throws InterruptedException {
    List<Task> batch = List.copyOf(tasks); // rejects nulls; a caller can't change it while we wait
    if (batch.isEmpty()) {
      intake.checkOpen(); // nothing to add, but a closed broker still says so
      return;
    }
    intake.checkBatch(batch);
    intake.admit(batch, now -> now, timeout);
  }

  /**
   * The check and the enqueue happen under the store's lock; the window and the delay count from
   * this broker's clock when the task is admitted.
   */
  @Override
  public UniqueOutcome enqueueUnique(Task task, UniqueKey key, Duration delay, Duration timeout)
      throws InterruptedException {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(key, "key");
    Checks.nonNegative("delay", delay);
    return intake.admitUnique(task, key, delay, timeout);
  }

  @Override
  public Retention retentionOf(String queue) {
    Names.check("queue", queue);
    return retention.of(queue);
  }

  @Override
  public void setRetention(String queue, Retention retention) {
    Names.check("queue", queue);
    this.retention.set(queue, Objects.requireNonNull(retention, "retention"));
  }

  /** Trims everything beyond the retention in one call, on this broker's clock. */
  @Override
  public Trimmed trim(String queue) {
    Names.check("queue", queue);
    return retention.trim(queue);
  }

  /** Test hook: records a finished task as ack does, so retention has records to trim. */
  void recordEnded(TaskInfo info) {
    store.locked(() -> store.queue(info.queue()).ended.put(info));
  }

  /** Test hook: whether anything of {@code id} is left in {@code queue} (held, record, unique). */
  boolean mentions(String queue, TaskId id) {
    return store.locked(
        () -> {
          QueueState q = store.existing(queue);
          return q != null && (q.holds(id) || q.ended.get(id).isPresent() || q.unique.mentions(id));
        });
  }

  @Override
  public Optional<Lease> dequeue(String queue, Duration leaseTime, Duration wait)
      throws InterruptedException {
    List<Lease> one = take(queue, 1, leaseTime, wait);
    return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
  }

  @Override
  public List<Lease> dequeueBatch(String queue, int max, Duration leaseTime, Duration wait)
      throws InterruptedException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1: " + max);
    }
    return take(queue, max, leaseTime, wait);
  }

  /**
   * Leases up to {@code max} ready tasks under one lock, waiting up to {@code wait} for the first.
   */
  private List<Lease> take(String queue, int max, Duration leaseTime, Duration wait)
      throws InterruptedException {
    Objects.requireNonNull(queue, "queue");
    Checks.positive("leaseTime", leaseTime);
    long remaining = Store.nanos(Checks.nonNegative("wait", wait));
    boolean sawPause = false;
    store.lock.lockInterruptibly();
    try {
      QueueState q = store.queue(queue);
      while (true) {
        Instant now = store.clock.instant();
        // A paused queue hands out nothing, not even delayed tasks that fell due (they wait).
        Optional<QueuePause> pause = pauses.current(queue, now);
        sawPause |= pause.isPresent();
        Duration untilOpening = null;
        List<Lease> taken = List.of();
        if (pause.isEmpty()) {
          q.promoteDue(now);
          if (gate.active()) {
            Instant expiresAt = now.plus(leaseTime);
            LimitGate.Taken admitted =
                gate.take(q, max, now, task -> leaseOne(q, task, expiresAt, now));
            taken = admitted.leases();
            untilOpening = admitted.untilOpening();
          } else {
            taken = leaseReady(q, max, now.plus(leaseTime), now);
          }
        }
        if (!taken.isEmpty()) {
          q.notFull.signalAll();
          return taken;
        }
        store.ensureOpen(); // closed and drained: nothing will ever come
        if (remaining <= 0) {
          return List.of();
        }
        long slice = Math.min(remaining, Store.MAX_WAIT_SLICE_NANOS);
        Duration untilDue = pause.isPresent() ? pauses.left(pause.get(), now) : q.untilNextDue(now);
        if (untilDue != null) {
          slice = Math.max(1, Math.min(slice, Store.nanos(untilDue)));
        }
        if (untilOpening != null) {
          slice = Math.max(1, Math.min(slice, Store.nanos(untilOpening)));
        }
        long left = q.notEmpty.awaitNanos(slice);
        remaining -= slice - left;
      }
    } finally {
      store.lock.unlock();
      if (sawPause) {
        pauses.tell(queue);
      }
    }
  }

  private Lease leaseOne(QueueState q, Task task, Instant expiresAt, Instant now) {
    InFlight delivery = new InFlight(task, store.nextToken(), expiresAt, now);
    q.lease(delivery);
    return delivery.toLease();
  }

  /**
   * The pause's time and {@code until} are this broker's clock's. The pause lives as long as this
   * broker (it does not survive the process, like the tasks).
   */
  @Override
  public QueuePause pause(String queue, String by, String reason, Optional<Duration> duration) {
    Names.check("queue", queue);
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(duration, "duration");
    duration.ifPresent(d -> Checks.positive("duration", d));
    QueuePause pause =
        store.locked(
            () -> {
              Instant now = store.clock.instant();
              QueuePause p = new QueuePause(queue, by, reason, now, duration.map(now::plus));
              pauses.put(p);
              store.queue(queue); // known from now on, so that it is listed
              return p;
            });
    pauses.tell(queue);
    return pause;
  }

  @Override
  public boolean resume(String queue) {
    Names.check("queue", queue);
    return store.locked(
        () -> {
          boolean was = pauses.remove(queue, store.clock.instant());
          QueueState q = store.existing(queue);
          if (q != null) {
            q.notEmpty.signalAll(); // the dequeues waiting on it take what is ready now
          }
          return was;
        });
  }

  @Override
  public Optional<QueuePause> pauseOf(String queue) {
    Names.check("queue", queue);
    return store.locked(() -> pauses.current(queue, store.clock.instant()));
  }

  @Override
  public List<QueuePause> pauses() {
    return store.locked(() -> pauses.all(store.clock.instant()));
  }

  @Override
  public void addPauseListener(Consumer<String> onPaused) {
    pauses.addListener(Objects.requireNonNull(onPaused, "onPaused"));
  }

  /**
   * A running task whose lease expired is cancelled at once (no worker runs it any longer, as far
   * as this broker's fencing goes).
   */
  @Override
  public CancelOutcome cancel(String queue, TaskId id) {
    Names.check("queue", queue);
    Objects.requireNonNull(id, "id");
    return store.locked(
        () -> {
          QueueState q = store.existing(queue);
          if (q == null) {
            return CancelOutcome.NOT_FOUND;
          }
          boolean leased = q.inFlight(id) != null;
          CancelOutcome outcome = cancels.cancel(q, id, store.clock.instant());
          if (outcome == CancelOutcome.CANCELLED) {
            store.ended.signalAll();
            if (leased) {
              freedPermit(
                  q); // its lease had expired: the permit it held is free, as after a settle
            }
          }
          return outcome;
        });
  }

  @Override
  public Set<TaskId> cancelRequested(String queue, java.util.Collection<TaskId> ids) {
    Objects.requireNonNull(queue, "queue");
    List<TaskId> asked = List.copyOf(ids);
    return store.locked(
        () -> {
          QueueState q = store.existing(queue);
          return q == null ? Set.of() : q.markedAmong(asked);
        });
  }

  @Override
  public void settleCancelled(Lease lease) {
    settle(
        lease,
        (q, delivery, now) -> {
          cancels.end(q, delivery.task(), Optional.of(delivery.leasedAt()), now, true);
          store.ended.signalAll();
          return null;
        });
  }

  @Override
  public RunNowOutcome runNow(String queue, TaskId id) {
    return onTask(queue, id, q -> Controls.runNow(q, id), RunNowOutcome.NOT_FOUND);
  }

  @Override
  public DeleteOutcome delete(String queue, TaskId id) {
    return onTask(
        queue, id, q -> Controls.delete(q, id, store.clock.instant()), DeleteOutcome.NOT_FOUND);
  }

  /**
   * Test hook (fault injection): takes the waiting task {@code id} of {@code queue} out of line
   * while the queue still holds it, a state no operation leaves.
   */
  void mislay(String queue, TaskId id) {
    onTask(queue, id, q -> q.removeWaiting(id), null);
  }

  /** Runs {@code op} on queue {@code queue} with the lock held, or answers {@code absent}. */
  private <T> T onTask(
      String queue, TaskId id, java.util.function.Function<QueueState, T> op, T absent) {
    Names.check("queue", queue);
    Objects.requireNonNull(id, "id");
    return store.locked(
        () -> {
          QueueState q = store.existing(queue);
          return q == null ? absent : op.apply(q);
        });
  }

  private List<Lease> leaseReady(QueueState q, int max, Instant expiresAt, Instant now) {
    Task task = q.pollReady();
    if (task == null) {
      return List.of();
    }
    List<Lease> taken = new ArrayList<>(Math.min(max, 1 + q.readyCount()));
    do {
      InFlight delivery = new InFlight(task, store.nextToken(), expiresAt, now);
      q.lease(delivery);
      taken.add(delivery.toLease());
    } while (taken.size() < max && (task = q.pollReady()) != null);
    return taken;
  }

  @Override
  public void ack(Lease lease) {
    settle(
        lease,
        (q, delivery, now) -> {
          succeeded(q, delivery, now, Optional.empty());
          return null;
        });
  }

  /** Ends a delivery that succeeded: the task leaves the queue and its record is kept. */
  private void succeeded(QueueState q, InFlight delivery, Instant now, Optional<Payload> result) {
    q.forget(delivery.task().id());
    q.ended.put(TaskInfos.succeeded(delivery, now, result));
    store.ended.signalAll();
  }

  /**
   * Calling it again with the same leases reports those the earlier call acked as acked (see {@link
   * AckMemory}).
   */
  @Override
  public List<Lease> ackAll(List<Lease> leases) {
    leases.forEach(lease -> Objects.requireNonNull(lease, "lease"));
    return settleSuccesses(leases, null);
  }

  /**
   * Like {@link #ackAll}, and keeps each valid delivery's result with its record; a result is
   * stored only by the delivery that holds the lease now. Calling it again with the same
   * completions reports those an earlier call acked as acked, and changes nothing.
   *
   * @throws InvalidTaskException a result is larger than the broker's result limit ({@link
   *     Builder#limits}); nothing was acked
   */
  @Override
  public List<Lease> complete(List<Completion> completions) {
    List<Lease> leases = new ArrayList<>(completions.size());
    List<Optional<Payload>> results = new ArrayList<>(completions.size());
    for (Completion c : completions) {
      Objects.requireNonNull(c, "completion");
      c.result().ifPresent(r -> limits.checkResult(c.lease().task().id(), r.size()));
      leases.add(c.lease());
      results.add(c.result());
    }
    return settleSuccesses(leases, results);
  }

  /** Acks {@code leases}, with {@code results} (same order) or none when null. */
  private List<Lease> settleSuccesses(List<Lease> leases, List<Optional<Payload>> results) {
    List<Lease> lost = new ArrayList<>(0);
    // The hot path of a busy pool: one lock, one clock read and no exception per lease. The checks
    // are those of settle().
    store.lock.lock();
    try {
      Instant now = store.clock.instant();
      QueueState q = null;
      for (int i = 0; i < leases.size(); i++) {
        Lease lease = leases.get(i);
        Task task = lease.task();
        if (q == null || !q.name.equals(task.queue())) {
          q = store.existing(task.queue());
        }
        InFlight delivery = q == null ? null : q.inFlight(task.id());
        if (delivery != null && delivery.matches(lease) && !delivery.expiredAt(now)) {
          succeeded(q, delivery, now, results == null ? Optional.empty() : results.get(i));
          acks.remember(lease, now);
          freedPermit(q);
        } else if (!acks.acked(lease, now)) {
          lost.add(lease);
        }
      }
    } finally {
      store.lock.unlock();
    }
    return lost;
  }

  @Override
  public Lease extend(Lease lease, Duration leaseTime) {
    Checks.positive("leaseTime", leaseTime);
    return settle(
        lease,
        (q, delivery, now) -> {
          InFlight longer = delivery.extendedTo(now.plus(leaseTime));
          q.lease(longer); // same token: it is still the same delivery
          return longer.toLease();
        });
  }

  @Override
  public void retryLater(Lease lease, Duration delay) {
    retry(lease, delay, null);
  }

  /**
   * Keeps {@code lastError} for {@link #find} until the task ends.
   *
   * @param lease the lease of the failed delivery
   * @param delay how long until the next attempt is ready
   * @param lastError the failure of the attempt that just failed
   */
  @Override
  public void retryLater(Lease lease, Duration delay, Failure lastError) {
    retry(lease, delay, Objects.requireNonNull(lastError, "lastError"));
  }

  private void retry(Lease lease, Duration delay, Failure lastError) {
    Checks.nonNegative("delay", delay);
    endedCancelled(
        "retry",
        lease,
        settle(
            lease,
            (q, delivery, now) -> {
              if (cancels.endIfMarked(q, delivery, now)) {
                store.ended.signalAll();
                return true;
              }
              q.endLease(delivery.task().id());
              if (lastError != null) {
                q.failed(delivery.task().id(), lastError);
              }
              Task next = delivery.task().withAttempt(delivery.task().attempt() + 1);
              q.schedule(next, now.plus(delay), now, store.nextSeq());
              q.notEmpty.signalAll();
              return false;
            }));
  }

  @Override
  public void release(Lease lease, Duration delay) {
    Checks.nonNegative("delay", delay);
    endedCancelled(
        "release",
        lease,
        settle(
            lease,
            (q, delivery, now) -> {
              if (cancels.endIfMarked(q, delivery, now)) {
                store.ended.signalAll();
                return true;
              }
              q.endLease(delivery.task().id());
              if (!delay.isZero()) {
                q.schedule(delivery.task(), now.plus(delay), now, store.nextSeq());
              } else {
                q.pushFront(delivery.task());
                q.notEmpty.signalAll();
              }
              return false;
            }));
  }

  /** A retry or release that ended its task as cancelled says so, as the port requires. */
  private static void endedCancelled(String what, Lease lease, boolean cancelled) {
    if (cancelled) {
      throw new TaskCancelledException(
          what
              + " task "
              + lease.task().id()
              + ": its cancel was requested; it ended as cancelled");
    }
  }

  @Override
  public void deadLetter(Lease lease, Failure failure) {
    Objects.requireNonNull(failure, "failure");
    settle(
        lease,
        (q, delivery, now) -> {
          q.endLease(delivery.task().id());
          q.bury(new DeadLetter(delivery.task(), failure));
          store.ended.signalAll();
          return null;
        });
  }

  /** What a settling call does to a valid delivery, with the lock held. */
  @FunctionalInterface
  private interface Settlement<T> {
    T apply(QueueState queue, InFlight delivery, Instant now);
  }

  /**
   * Runs {@code settlement} if {@code lease} is the current, unexpired delivery of its task;
   * otherwise throws and changes nothing. An expired delivery stays in flight so that {@link
   * #reclaimExpiredLeases} counts it.
   */
  private <T> T settle(Lease lease, Settlement<T> settlement) {
    Objects.requireNonNull(lease, "lease");
    TaskId id = lease.task().id();
    store.lock
        .lock(); // never blocks for long, so not interruptible: a worker must be able to settle
    try {
      QueueState q = store.existing(lease.task().queue());
      InFlight delivery = q == null ? null : q.inFlight(id);
      if (delivery == null || !delivery.matches(lease)) {
        throw new LeaseLostException(
            "task "
                + id
                + ": lease "
                + lease.token()
                + " is not held (settled, reclaimed or never issued)");
      }
      Instant now = store.clock.instant();
      if (delivery.expiredAt(now)) {
        throw new LeaseLostException("task " + id + ": lease expired at " + delivery.expiresAt());
      }
      T result = settlement.apply(q, delivery, now);
      freedPermit(q);
      return result;
    } finally {
      store.lock.unlock();
    }
  }

  @Override
  public Optional<TaskInfo> find(String queue, TaskId id) {
    Names.check("queue", queue);
    Objects.requireNonNull(id, "id");
    return store.locked(() -> findLocked(queue, id));
  }

  @Override
  public Map<TaskId, TaskInfo> findAll(String queue, Collection<TaskId> ids) {
    Names.check("queue", queue);
    List<TaskId> wanted = List.copyOf(ids);
    return store.locked(
        () -> {
          Map<TaskId, TaskInfo> found = new LinkedHashMap<>();
          wanted.forEach(id -> findLocked(queue, id).ifPresent(info -> found.put(id, info)));
          return found;
        });
  }

  @Override
  public void heartbeat(WorkerStatus status, Duration ttl) {
    workerRegistry.heartbeat(status, ttl);
  }

  @Override
  public boolean deregister(String id) {
    return workerRegistry.deregister(id);
  }

  @Override
  public List<LiveWorker> list() {
    return workerRegistry.list();
  }

  @Override
  public void record(String queue, ThroughputCounts counts) {
    throughput.record(queue, counts);
  }

  @Override
  public List<ThroughputPoint> history(String queue, int minutes) {
    return throughput.history(queue, minutes);
  }

  /** Pages through the queue's own collections under the broker's lock. */
  @Override
  public TaskPage list(String queue, TaskState state, long offset, int limit) {
    Names.check("queue", queue);
    Objects.requireNonNull(state, "state");
    TaskBrowser.checkPage(offset, limit);
    return store.locked(
        () -> {
          QueueState q = store.existing(queue);
          if (q == null) {
            return new TaskPage(0, List.of());
          }
          Listings.Slice slice = Listings.slice(q, state, offset, limit);
          List<TaskInfo> page = new ArrayList<>(slice.ids().size());
          slice.ids().forEach(id -> TaskInfos.find(q, id).ifPresent(page::add));
          return new TaskPage(slice.total(), page);
        });
  }

  private Optional<TaskInfo> findLocked(String queue, TaskId id) {
    QueueState q = store.existing(queue);
    return q == null ? Optional.empty() : TaskInfos.find(q, id);
  }

  /**
   * Woken by every end (success, dead letter) of any queue, so it answers as soon as the task ends;
   * the timeout is measured on the JVM's monotonic clock, as waits for tasks are.
   *
   * @throws dev.dq.core.port.BrokerClosedException the broker was closed before the task ended
   */
  @Override
  public Optional<TaskInfo> await(String queue, TaskId id, Duration timeout)
      throws InterruptedException {
    Names.check("queue", queue);
    Objects.requireNonNull(id, "id");
    long remaining = Store.nanos(Checks.nonNegative("timeout", timeout));
    store.lock.lockInterruptibly();
    try {
      while (true) {
        Optional<TaskInfo> now = findLocked(queue, id);
        if (now.isPresent() && now.get().state().isTerminal()) {
          return now;
        }
        if (remaining <= 0) {
          return Optional.empty();
        }
        store.ensureOpen(); // closed: nothing will end any more
        remaining = store.ended.awaitNanos(remaining);
      }
    } finally {
      store.lock.unlock();
    }
  }

  /** A settle may have freed a concurrency permit: one waiter of the queue looks again. */
  private void freedPermit(QueueState q) {
    if (gate.active()) {
      q.notEmpty.signal();
    }
  }

  /**
   * Applies to dequeues that start after it returns; a dequeue waiting now sees it within its next
   * wait slice.
   */
  @Override
  public void setLimit(Limit limit) {
    Objects.requireNonNull(limit, "limit");
    store.locked(
        () -> {
          gate.set(limit);
          store.queues().forEach(q -> q.notEmpty.signalAll());
        });
  }

  @Override
  public boolean removeLimit(LimitTarget target) {
    Objects.requireNonNull(target, "target");
    return store.locked(
        () -> {
          boolean removed = gate.remove(target);
          store.queues().forEach(q -> q.notEmpty.signalAll());
          return removed;
        });
  }

  @Override
  public List<Limit> limits() {
    return store.locked(gate::all);
  }

  @Override
  public List<LimitedClaims> limitedClaims() {
    return store.locked(gate::counts);
  }

  @Override
  public int reclaimExpiredLeases() {
    return store.locked(
        () -> {
          Instant now = store.clock.instant();
          int reclaimed = 0;
          for (QueueState q : store.queues()) {
            List<InFlight> expired = q.removeExpired(now);
            for (InFlight delivery : expired) {
              if (!cancels.endIfMarked(q, delivery, now)) {
                q.pushBack(delivery.task());
              } else {
                store.ended.signalAll();
              }
            }
            if (!expired.isEmpty()) {
              q.notEmpty.signalAll();
            }
            reclaimed += expired.size();
          }
          return reclaimed;
        });
  }

  @Override
  public QueueStats stats(String queue) {
    Objects.requireNonNull(queue, "queue");
    return store.locked(
        () -> {
          QueueState q = store.existing(queue);
          if (q == null) {
            return new QueueStats(queue, 0, 0, 0);
          }
          q.promoteDue(
              store.clock
                  .instant()); // a due task counts as ready, as the next dequeue would see it
          return new QueueStats(queue, q.readyCount(), q.inFlightCount(), q.delayedCount());
        });
  }

  @Override
  public List<String> queues() {
    return store.locked(() -> store.queues().stream().map(q -> q.name).sorted().toList());
  }

  /**
   * Forgets an empty queue, so that {@link #queues()} no longer lists it; an unknown queue is left
   * as it is. A queue that a consumer or producer is waiting on stays known even when empty, so
   * that the waiter still sees what comes.
   *
   * @throws IllegalStateException the queue still holds tasks (ready, delayed, in flight or dead);
   *     nothing changed
   */
  @Override
  public void deleteQueue(String queue) {
    Objects.requireNonNull(queue, "queue");
    store.locked(
        () -> {
          QueueState q = store.existing(queue);
          if (q == null) {
            return;
          }
          int ready = q.readyCount();
          int delayed = q.delayedCount();
          int inFlight = q.inFlightCount();
          int dead = q.deadCount();
          if (ready + delayed + inFlight + dead > 0) {
            throw new IllegalStateException(
                "queue "
                    + queue
                    + " is not empty: "
                    + ready
                    + " ready, "
                    + delayed
                    + " delayed, "
                    + inFlight
                    + " in flight, "
                    + dead
                    + " dead");
          }
          q.unique.clear(); // its keys go with the queue, windows too, as on Redis
          throughput.forget(queue); // and its history, as on Redis
          if (!store.lock.hasWaiters(q.notEmpty) && !store.lock.hasWaiters(q.notFull)) {
            store.forget(queue);
          }
        });
  }

  /**
   * This JVM's heap holds the tasks among everything else: the broker cannot tell its own share.
   */
  @Override
  public long usedMemoryBytes() {
    return -1;
  }

  /**
   * Stops accepting tasks and wakes every blocked caller: producers get {@code
   * BrokerClosedException}, consumers drain what is ready and then get it too. Leases can still be
   * settled. Idempotent.
   */
  @Override
  public void close() {
    store.locked(
        () -> {
          store.close();
        });
  }

  /**
   * For test teardown: throws if any delivery is still in flight, naming the tasks, because a test
   * that takes a lease and never settles it hides a leak that a real worker would have.
   *
   * @throws IllegalStateException some leases were never settled
   */
  public void assertNoLeakedLeases() {
    List<TaskId> leaked = new ArrayList<>();
    store.locked(
        () -> {
          store.queues().forEach(q -> leaked.addAll(q.inFlightIds()));
        });
    if (!leaked.isEmpty()) {
      throw new IllegalStateException(
          leaked.size() + " leases were never settled, tasks " + leaked);
    }
  }

  /** Builds an {@link InMemoryBroker}; each setter checks its value at once. */
  public static final class Builder {
    private InstantSource clock = InstantSource.system();
    private int capacity = 10_000;
    private TaskLimits limits = TaskLimits.DEFAULT;

    private Builder() {}

    /**
     * Source of time for lease expiry and delayed tasks (default the system clock).
     *
     * @param clock the clock to read
     * @return this builder
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Most waiting (ready + delayed) tasks per queue (default 10,000).
     *
     * @param perQueue the capacity of each queue, at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code perQueue} is below 1
     */
    public Builder capacity(int perQueue) {
      if (perQueue < 1) {
        throw new IllegalArgumentException("capacity must be >= 1: " + perQueue);
      }
      this.capacity = perQueue;
      return this;
    }

    /**
     * Size limits checked on enqueue (default {@link TaskLimits#DEFAULT}).
     *
     * @param limits the limits a task must keep to
     * @return this builder
     */
    public Builder limits(TaskLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Builds a new, empty broker with its own dead-letter queue.
     *
     * @return the broker
     */
    public InMemoryBroker build() {
      return new InMemoryBroker(this);
    }
  }
}
