package dev.dq.adapter.memory;

import static dev.dq.testing.TaskFixtures.aTask;

import dev.dq.core.port.Lease;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskQueueException;
import dev.dq.testing.FakeClock;
import dev.dq.testing.TaskFixtures;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Options;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

/**
 * Lincheck checks that every concurrent history of the broker's operations is linearizable: that
 * its results are those of some sequential run of the same operations, each taking effect at one
 * instant between its call and its return. The sequential specification is the broker itself, run
 * on one thread.
 *
 * <p>Each instance is one test object: a fresh broker on its own {@link FakeClock}. The operations
 * use one queue, two task ids and delays of zero or one tick, so that histories collide: the same
 * task is enqueued twice, leased by one thread while another reclaims it, acked after its lease ran
 * out. {@link #tick} moves the clock, so leases (two ticks) and delays expire in the middle of a
 * history. A dequeue never waits: a blocked call would look like a deadlock to Lincheck.
 *
 * <p>A lease belongs to the thread that dequeued it, as it does to a worker: each thread keeps its
 * latest lease (extend replaces it), and ack, retry, release and extend act on it. Keeping leases
 * per thread keeps the bookkeeping out of the races under test. Every result is a plain value (the
 * task, attempt, fencing token and expiry of a lease; the exception's name), so a different
 * interleaving that changes any of them is caught.
 *
 * <p>Model checking explores the interleavings of each scenario on one thread at a time, so it
 * finds a race whatever the machine; stress runs the scenarios on real threads. The budgets keep
 * the class to about two minutes; it runs only when named ({@code
 * -Dtest=InMemoryBrokerLincheckTest}), as CI's 20 minutes cannot spare them, and {@code
 * -Ddq.lincheck.scale=10} searches longer.
 */
@Param(name = "id", gen = IntGen.class, conf = "1:2")
@Param(name = "ticks", gen = IntGen.class, conf = "0:1")
@Param(name = "thread", gen = ThreadIdGen.class)
public class InMemoryBrokerLincheckTest {
  private static final Duration TICK = Duration.ofSeconds(1);
  private static final Duration LEASE = TICK.multipliedBy(2);
  private static final int SCALE = Integer.getInteger("dq.lincheck.scale", 1);

  /**
   * Room for the ids Lincheck gives the threads, including those of the initial and final parts.
   */
  private static final int SLOTS = 8;

  private static final String QUEUE = "jobs";

  /** Built once: the operations should spend their steps in the broker, not in task validation. */
  private static final Task[] TASKS = {
    null, aTask("t1").queue(QUEUE).build(), aTask("t2").queue(QUEUE).build()
  };

  private static final long START = TaskFixtures.EPOCH.getEpochSecond();

  /**
   * What {@link #dequeue} and {@link #extend} return: a lease as plain values, expiry in seconds
   * since the start.
   */
  record Leased(String task, int attempt, long token, long expires) {
    static Leased of(Lease lease) {
      return new Leased(
          lease.task().id().value(),
          lease.task().attempt(),
          lease.token(),
          lease.expiresAt().getEpochSecond() - START);
    }
  }

  private final FakeClock clock = FakeClock.at(TaskFixtures.EPOCH);
  private final InMemoryBroker broker = InMemoryBroker.builder().clock(clock).build();

  /** The latest lease of each thread; a thread reads and writes only its own slot. */
  private final Lease[] leases = new Lease[SLOTS];

  @Operation
  public String enqueue(@Param(name = "id") int id, @Param(name = "ticks") int delay)
      throws InterruptedException {
    try {
      broker.enqueueIn(TASKS[id], TICK.multipliedBy(delay), Duration.ZERO);
      return "enqueued";
    } catch (TaskQueueException e) {
      return e.getClass().getSimpleName();
    }
  }

  @Operation
  public Object dequeue(@Param(name = "thread") int thread) throws InterruptedException {
    Optional<Lease> lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO);
    lease.ifPresent(l -> leases[thread] = l);
    return lease.<Object>map(Leased::of).orElse("empty");
  }

  @Operation
  public Object ack(@Param(name = "thread") int thread) {
    return settle(
        thread,
        lease -> {
          broker.ack(lease);
          return "acked";
        });
  }

  @Operation
  public Object retry(@Param(name = "thread") int thread, @Param(name = "ticks") int delay) {
    return settle(
        thread,
        lease -> {
          broker.retryLater(lease, TICK.multipliedBy(delay));
          return "retried";
        });
  }

  @Operation
  public Object release(@Param(name = "thread") int thread, @Param(name = "ticks") int delay) {
    return settle(
        thread,
        lease -> {
          broker.release(lease, TICK.multipliedBy(delay));
          return "released";
        });
  }

  @Operation
  public Object extend(@Param(name = "thread") int thread) {
    return settle(
        thread,
        lease -> {
          Lease longer = broker.extend(lease, LEASE);
          leases[thread] = longer;
          return Leased.of(longer);
        });
  }

  @Operation
  public int reclaim() {
    return broker.reclaimExpiredLeases();
  }

  /** Moves the broker's clock; an operation like the others, so it interleaves with them. */
  @Operation
  public void tick() {
    clock.advance(TICK);
  }

  /** Observes a queue, so that a history whose state differs shows it even if no call fails. */
  @Operation
  public QueueStats stats() {
    return broker.stats(QUEUE);
  }

  private Object settle(int thread, Function<Lease, Object> action) {
    Lease lease = leases[thread];
    if (lease == null) {
      return "no lease";
    }
    try {
      return action.apply(lease);
    } catch (TaskQueueException e) {
      return e.getClass().getSimpleName();
    }
  }

  @Test
  void everyInterleavingOfAFewOperationsIsLinearizable() {
    check(new ModelCheckingOptions().iterations(30 * SCALE).invocationsPerIteration(200));
  }

  @Test
  void concurrentRunsOnRealThreadsAreLinearizable() {
    check(new StressOptions().iterations(10 * SCALE).invocationsPerIteration(1_000));
  }

  private void check(Options<?, ?> options) {
    if (SCALE < 1) {
      throw new IllegalArgumentException("dq.lincheck.scale must be >= 1: " + SCALE);
    }
    options.threads(2).actorsPerThread(3).actorsBefore(3).actorsAfter(2).check(getClass());
  }
}
