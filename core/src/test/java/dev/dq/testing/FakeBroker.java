package dev.dq.testing;

import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.DuplicateTaskException;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small, strict {@link Broker} in memory for core's own tests (the worker pool's), so that they
 * need no adapter: unbounded queues, one lock, lease expiry and not-before times on an injected
 * clock (a {@link FakeClock} in tests), and a dead-letter list to look at. Strict like Okio's fake:
 * settling a lease that is not the current, unexpired delivery of its task throws {@link
 * LeaseLostException}, {@link #ackAll} answers a repeated ack exactly, and {@link
 * #assertNoLeakedLeases()} proves a test settled every lease. Blocking dequeues wait in real time,
 * in short slices, so that a task made due by advancing the fake clock is seen.
 *
 * <p>Not a reference implementation: the adapters' brokers are held to {@link BrokerContract}. Run
 * against it, this fake meets the consumer side a pool uses (dequeue, leases, settling, exact
 * ackAll answers, reclaiming) but not the producer side: it has no capacity, no size limits, no
 * atomic batches and no blocking enqueue.
 */
public final class FakeBroker implements Broker {
  private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private record Delivery(Task task, long token, Instant expiresAt) {
    Lease lease() {
      return new Lease(task, token, expiresAt);
    }
  }

  private record Delayed(Task task, Instant notBefore, long seq) {}

  private static final class Queue {
    final ArrayDeque<Task> ready = new ArrayDeque<>();
    final List<Delayed> delayed = new ArrayList<>();
    final Map<TaskId, Delivery> inFlight = new LinkedHashMap<>();
    final Map<TaskId, DeadLetter> dead = new LinkedHashMap<>();

    boolean holds(TaskId id) {
      return inFlight.containsKey(id)
          || ready.stream().anyMatch(t -> t.id().equals(id))
          || delayed.stream().anyMatch(d -> d.task().id().equals(id));
    }

    void promoteDue(Instant now) {
      delayed.sort(
          (a, b) ->
              a.notBefore().equals(b.notBefore())
                  ? Long.compare(a.seq(), b.seq())
                  : a.notBefore().compareTo(b.notBefore()));
      while (!delayed.isEmpty() && !delayed.get(0).notBefore().isAfter(now)) {
        ready.addLast(delayed.remove(0).task());
      }
    }
  }

  private final InstantSource clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, Queue> queues = new TreeMap<>();

  /** Tokens of the leases {@link #ackAll} acked. */
  private final Set<Long> acked = new HashSet<>();

  private long nextToken = 1;
  private long nextSeq;
  private boolean closed;

  public FakeBroker(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private Queue queue(String name) {
    return queues.computeIfAbsent(Objects.requireNonNull(name, "queue"), n -> new Queue());
  }

  @Override
  public void enqueue(Task task, Duration timeout) {
    enqueueAt(task, Instant.MIN, timeout);
  }

  @Override
  public void enqueueAt(Task task, Instant notBefore, Duration timeout) {
    lock.lock();
    try {
      if (closed) {
        throw new BrokerClosedException("broker closed");
      }
      Queue q = queue(task.queue());
      if (q.holds(task.id())) {
        throw new DuplicateTaskException("task " + task.id() + " is held already");
      }
      if (notBefore.isAfter(clock.instant())) {
        q.delayed.add(new Delayed(task, notBefore, nextSeq++));
      } else {
        q.ready.addLast(task);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void enqueueIn(Task task, Duration delay, Duration timeout) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must be >= 0: " + delay);
    }
    enqueueAt(task, clock.instant().plus(delay), timeout);
  }

  @Override
  public void enqueueAll(List<Task> tasks, Duration timeout) {
    for (Task task : tasks) {
      enqueue(task, timeout);
    }
  }

  @Override
  public Optional<Lease> dequeue(String queue, Duration leaseTime, Duration wait)
      throws InterruptedException {
    List<Lease> one = dequeueBatch(queue, 1, leaseTime, wait);
    return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
  }

  @Override
  public List<Lease> dequeueBatch(String queue, int max, Duration leaseTime, Duration wait)
      throws InterruptedException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1: " + max);
    }
    long deadline = System.nanoTime() + wait.toNanos();
    lock.lockInterruptibly();
    try {
      Queue q = queue(queue);
      while (true) {
        Instant now = clock.instant();
        q.promoteDue(now);
        List<Lease> taken = new ArrayList<>();
        for (Task task; taken.size() < max && (task = q.ready.pollFirst()) != null; ) {
          Delivery d = new Delivery(task, nextToken++, now.plus(leaseTime));
          q.inFlight.put(task.id(), d);
          taken.add(d.lease());
        }
        if (!taken.isEmpty()) {
          return taken;
        }
        if (closed) {
          throw new BrokerClosedException("broker closed and queue " + queue + " drained");
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return List.of();
        }
        changed.awaitNanos(Math.min(left, SLICE_NANOS));
      }
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code settle} on the current, unexpired delivery of the lease's task, else throws. */
  private void settle(Lease lease, java.util.function.BiConsumer<Queue, Delivery> settle) {
    lock.lock();
    try {
      Queue q = queue(lease.task().queue());
      Delivery d = q.inFlight.get(lease.task().id());
      if (d == null || d.token() != lease.token()) {
        throw new LeaseLostException(
            "task " + lease.task().id() + ": lease " + lease.token() + " is not held");
      }
      if (!clock.instant().isBefore(d.expiresAt())) {
        throw new LeaseLostException(
            "task " + lease.task().id() + ": lease expired at " + d.expiresAt());
      }
      settle.accept(q, d);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void ack(Lease lease) {
    settle(lease, (q, d) -> q.inFlight.remove(d.task().id()));
  }

  /**
   * Asking again about a lease an earlier {@code ackAll} acked reports it acked, as the port
   * promises.
   */
  @Override
  public List<Lease> ackAll(List<Lease> leases) {
    List<Lease> lost = new ArrayList<>();
    lock.lock();
    try {
      for (Lease lease : leases) {
        try {
          ack(lease);
          acked.add(lease.token());
        } catch (LeaseLostException e) {
          if (!acked.contains(lease.token())) {
            lost.add(lease);
          }
        }
      }
    } finally {
      lock.unlock();
    }
    return lost;
  }

  @Override
  public Lease extend(Lease lease, Duration leaseTime) {
    Lease[] extended = new Lease[1];
    settle(
        lease,
        (q, d) -> {
          Delivery longer = new Delivery(d.task(), d.token(), clock.instant().plus(leaseTime));
          q.inFlight.put(d.task().id(), longer);
          extended[0] = longer.lease();
        });
    return extended[0];
  }

  @Override
  public void retryLater(Lease lease, Duration delay) {
    settle(
        lease,
        (q, d) -> {
          q.inFlight.remove(d.task().id());
          Task next = d.task().withAttempt(d.task().attempt() + 1);
          q.delayed.add(new Delayed(next, clock.instant().plus(delay), nextSeq++));
        });
  }

  @Override
  public void release(Lease lease, Duration delay) {
    settle(
        lease,
        (q, d) -> {
          q.inFlight.remove(d.task().id());
          if (delay.isZero()) {
            q.ready.addFirst(d.task());
          } else {
            q.delayed.add(new Delayed(d.task(), clock.instant().plus(delay), nextSeq++));
          }
        });
  }

  @Override
  public void deadLetter(Lease lease, Failure failure) {
    settle(
        lease,
        (q, d) -> {
          q.inFlight.remove(d.task().id());
          q.dead.put(d.task().id(), new DeadLetter(d.task(), failure));
        });
  }

  @Override
  public int reclaimExpiredLeases() {
    lock.lock();
    try {
      Instant now = clock.instant();
      int reclaimed = 0;
      for (Queue q : queues.values()) {
        var expired =
            q.inFlight.values().stream().filter(d -> !now.isBefore(d.expiresAt())).toList();
        for (Delivery d : expired) {
          q.inFlight.remove(d.task().id());
          q.ready.addLast(d.task());
          reclaimed++;
        }
      }
      if (reclaimed > 0) {
        changed.signalAll();
      }
      return reclaimed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public QueueStats stats(String queue) {
    lock.lock();
    try {
      Queue q = queues.get(queue);
      if (q == null) {
        return new QueueStats(queue, 0, 0, 0);
      }
      q.promoteDue(clock.instant()); // a due task counts as ready, as the next dequeue would see it
      return new QueueStats(queue, q.ready.size(), q.inFlight.size(), q.delayed.size());
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<String> queues() {
    lock.lock();
    try {
      return List.copyOf(queues.keySet());
    } finally {
      lock.unlock();
    }
  }

  /** The dead letter of task {@code id} in {@code queue}, if it is dead. */
  public Optional<DeadLetter> deadLetter(String queue, TaskId id) {
    lock.lock();
    try {
      Queue q = queues.get(queue);
      return q == null ? Optional.empty() : Optional.ofNullable(q.dead.get(id));
    } finally {
      lock.unlock();
    }
  }

  /** Every dead letter of {@code queue}, oldest first. */
  public List<DeadLetter> deadLetters(String queue) {
    lock.lock();
    try {
      Queue q = queues.get(queue);
      return q == null ? List.of() : List.copyOf(q.dead.values());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops accepting tasks and wakes blocked dequeues, which drain what is ready and then throw.
   * Idempotent.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** For teardown: throws, naming the tasks, if any delivery is still in flight. */
  public void assertNoLeakedLeases() {
    List<TaskId> leaked = new ArrayList<>();
    lock.lock();
    try {
      queues.values().forEach(q -> leaked.addAll(q.inFlight.keySet()));
    } finally {
      lock.unlock();
    }
    if (!leaked.isEmpty()) {
      throw new IllegalStateException(
          leaked.size() + " leases were never settled, tasks " + leaked);
    }
  }
}
