package dev.dq.testing;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.TaskCancels;
import dev.dq.core.limit.Limit;
import dev.dq.core.limit.LimitTarget;
import dev.dq.core.limit.Limits;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import dev.dq.core.port.QueueStats;
import dev.dq.core.port.TaskCancelledException;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.worker.TaskEvent;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every broker that offers {@link TaskCancels} must do. An adapter's test extends it and
 * supplies {@link #createBroker}; time comes only from {@link #clock}, except in the pool tests,
 * which run a real {@link WorkerPool} on the system clock. Every test settles every lease it takes.
 *
 * <p>Whether an ended task is recorded as {@code CANCELLED} is seen here through {@link
 * TaskCancels#cancel} answering {@link CancelOutcome#ALREADY_ENDED} for it afterwards, and through
 * it never being handed out again.
 */
public abstract class TaskCancelsContract {
  protected static final String QUEUE = Task.DEFAULT_QUEUE;
  protected static final Duration LEASE = Duration.ofSeconds(30);
  protected static final Duration PATIENCE = Duration.ofSeconds(30);

  protected final FakeClock clock = FakeClock.at(TaskFixtures.EPOCH);
  protected Broker broker;
  protected TaskCancels cancels;
  private Broker realTime;
  private WorkerPool pool;

  /**
   * A new, empty broker that offers {@link TaskCancels} and reads time only from {@code clock}. The
   * pool test calls it a second time, with the system clock, and uses only that one.
   */
  protected abstract Broker createBroker(InstantSource clock);

  /**
   * The dead-letter queue of {@link #broker}, for the tests that requeue a dead task; null (the
   * default) skips their requeue part.
   */
  protected DeadLetterQueue deadLetterQueue() {
    return null;
  }

  @BeforeEach
  final void createDefaultBroker() {
    broker = createBroker(clock);
    cancels = (TaskCancels) broker;
  }

  @AfterEach
  final void closeBroker() {
    if (pool != null) {
      pool.stop(Duration.ofSeconds(5));
    }
    if (realTime != null) {
      realTime.close();
    }
    broker.close();
  }

  @Test
  void cancel_unknownTask_notFound() {
    assertThat(cancels.cancel(QUEUE, new TaskId("nope"))).isEqualTo(CancelOutcome.NOT_FOUND);
    assertThat(cancels.cancel("never-used", new TaskId("nope"))).isEqualTo(CancelOutcome.NOT_FOUND);
  }

  @Test
  void cancel_ready_neverDequeued_othersKeepTheirOrder() throws Exception {
    enqueue("t1", "t2", "t3");

    assertThat(cancels.cancel(QUEUE, new TaskId("t2"))).isEqualTo(CancelOutcome.CANCELLED);

    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 2, 0, 0));
    assertThat(takeAndAckAll()).containsExactly("t1", "t3");
    assertThat(cancels.cancel(QUEUE, new TaskId("t2"))).isEqualTo(CancelOutcome.ALREADY_ENDED);
  }

  @Test
  void cancel_readyOfAnotherPriority_neverDequeued() throws Exception {
    broker.enqueue(aTask("high").priority(8).build(), Duration.ZERO);
    broker.enqueue(aTask("low").priority(1).build(), Duration.ZERO);
    enqueue("mid");

    assertThat(cancels.cancel(QUEUE, new TaskId("high"))).isEqualTo(CancelOutcome.CANCELLED);
    assertThat(cancels.cancel(QUEUE, new TaskId("low"))).isEqualTo(CancelOutcome.CANCELLED);

    assertThat(takeAndAckAll()).containsExactly("mid");
  }

  @Test
  void cancel_delayed_neverDequeuedWhenDue() throws Exception {
    broker.enqueueIn(aTask("later").build(), Duration.ofMinutes(1), Duration.ZERO);

    assertThat(cancels.cancel(QUEUE, new TaskId("later"))).isEqualTo(CancelOutcome.CANCELLED);

    clock.advance(Duration.ofMinutes(2));
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 0, 0, 0));
    assertThat(cancels.cancel(QUEUE, new TaskId("later"))).isEqualTo(CancelOutcome.ALREADY_ENDED);
  }

  @Test
  void cancel_retrying_neverDequeuedWhenDue() throws Exception {
    enqueue("t1");
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    broker.retryLater(lease, Duration.ofSeconds(10));

    assertThat(cancels.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.CANCELLED);

    clock.advance(Duration.ofSeconds(11));
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    assertThat(cancels.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.ALREADY_ENDED);
  }

  @Test
  void cancel_retryingReadyNow_neverDequeued() throws Exception {
    enqueue("t1");
    broker.retryLater(broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow(), Duration.ZERO);

    assertThat(cancels.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.CANCELLED);

    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
  }

  @Test
  void cancel_dead_alreadyEnded() throws Exception {
    enqueue("t1");
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    broker.deadLetter(lease, Failure.of(new IllegalStateException("boom"), 1, clock.instant()));

    assertThat(cancels.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.ALREADY_ENDED);
  }

  @Test
  void cancel_active_requested_reportedOnlyForIt_settledAsCancelled() throws Exception {
    enqueue("t1", "t2");
    List<Lease> leases = broker.dequeueBatch(QUEUE, 2, LEASE, Duration.ZERO);
    Lease t1 = leases.get(0);

    assertThat(cancels.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.REQUESTED);

    assertThat(cancels.cancelRequested(QUEUE, List.of(new TaskId("t1"), new TaskId("t2"))))
        .containsExactly(new TaskId("t1"));
    assertThat(cancels.cancelRequested(QUEUE, List.of(new TaskId("t2")))).isEmpty();
    assertThat(broker.stats(QUEUE).inFlight()).isEqualTo(2);

    cancels.settleCancelled(t1);

    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 0, 1, 0));
    assertThat(cancels.cancelRequested(QUEUE, List.of(new TaskId("t1")))).isEmpty();
    assertThat(cancels.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.ALREADY_ENDED);
    assertThatThrownBy(() -> broker.ack(t1)).isInstanceOf(LeaseLostException.class);
    assertThatThrownBy(() -> cancels.settleCancelled(t1)).isInstanceOf(LeaseLostException.class);
    broker.ack(leases.get(1));
  }

  @Test
  void settleCancelled_staleLease_refused_nothingChanged() throws Exception {
    enqueue("t1");
    Lease first = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    clock.advance(LEASE.plusSeconds(1));
    broker.reclaimExpiredLeases();
    Lease second = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();

    assertThatThrownBy(() -> cancels.settleCancelled(first)).isInstanceOf(LeaseLostException.class);

    assertThat(broker.stats(QUEUE).inFlight()).isEqualTo(1);
    broker.ack(second);
  }

  @Test
  void cancel_twice_safe() throws Exception {
    enqueue("running");
    Lease running = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    enqueue("ready");

    assertThat(cancels.cancel(QUEUE, new TaskId("running"))).isEqualTo(CancelOutcome.REQUESTED);
    assertThat(cancels.cancel(QUEUE, new TaskId("running"))).isEqualTo(CancelOutcome.REQUESTED);
    assertThat(cancels.cancel(QUEUE, new TaskId("ready"))).isEqualTo(CancelOutcome.CANCELLED);
    assertThat(cancels.cancel(QUEUE, new TaskId("ready"))).isEqualTo(CancelOutcome.ALREADY_ENDED);

    cancels.settleCancelled(running);
    assertThat(cancels.cancel(QUEUE, new TaskId("running"))).isEqualTo(CancelOutcome.ALREADY_ENDED);
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
  }

  @Test
  void expiredLeaseOfMarkedTask_reclaimEndsItCancelled_notReady() throws Exception {
    enqueue("t1");
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    assertThat(cancels.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.REQUESTED);

    clock.advance(LEASE.plusSeconds(1));
    broker.reclaimExpiredLeases();

    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 0, 0, 0));
    assertThat(cancels.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.ALREADY_ENDED);
    assertThatThrownBy(() -> cancels.settleCancelled(lease)).isInstanceOf(LeaseLostException.class);
  }

  @Test
  void cancel_activeWithExpiredLease_cancelledAtOnce() throws Exception {
    enqueue("t1");
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    clock.advance(LEASE.plusSeconds(1));

    assertThat(cancels.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.CANCELLED);

    broker.reclaimExpiredLeases();
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    assertThatThrownBy(() -> broker.ack(lease)).isInstanceOf(LeaseLostException.class);
  }

  @Test
  void retryOfMarkedTask_endsCancelled() throws Exception {
    enqueue("t1");
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    cancels.cancel(QUEUE, new TaskId("t1"));

    assertThatThrownBy(() -> broker.retryLater(lease, Duration.ZERO))
        .isInstanceOf(TaskCancelledException.class);

    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 0, 0, 0));
    assertThat(cancels.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.ALREADY_ENDED);
  }

  @Test
  void releaseOfMarkedTask_endsCancelled() throws Exception {
    enqueue("t1");
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    cancels.cancel(QUEUE, new TaskId("t1"));

    assertThatThrownBy(() -> broker.release(lease, Duration.ZERO))
        .isInstanceOf(TaskCancelledException.class);

    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    assertThat(cancels.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.ALREADY_ENDED);
  }

  /** A success acked before the worker noticed the mark stays a success. */
  @Test
  void ackOfMarkedTask_succeeds_markGone() throws Exception {
    enqueue("t1");
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    cancels.cancel(QUEUE, new TaskId("t1"));

    broker.ack(lease);

    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 0, 0, 0));
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    assertThat(cancels.cancelRequested(QUEUE, List.of(new TaskId("t1")))).isEmpty();
    assertThat(cancels.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.ALREADY_ENDED);
  }

  /**
   * A marked task that fails for good is dead, not cancelled: its mark goes, so a requeue of it
   * runs it again rather than ending it as cancelled.
   */
  @Test
  void deadLetterOfMarkedTask_markGone_requeuedTaskRuns() throws Exception {
    enqueue("t1");
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    assertThat(cancels.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.REQUESTED);

    broker.deadLetter(lease, new Failure("boom", "failed for good", 1, clock.instant()));

    assertThat(cancels.cancelRequested(QUEUE, List.of(new TaskId("t1")))).isEmpty();
    DeadLetterQueue dead = deadLetterQueue();
    if (dead == null) {
      return;
    }
    dead.requeue(QUEUE, new TaskId("t1"));
    Lease again = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    assertThat(cancels.cancelRequested(QUEUE, List.of(new TaskId("t1")))).isEmpty();
    broker.release(again, Duration.ZERO); // a release of a marked task would end it as cancelled
    assertThat(takeAndAckAll()).containsExactly("t1");
  }

  /** The id of a cancelled task may be enqueued again: that task runs, once. */
  @Test
  void cancelledId_enqueuedAgain_deliveredOnce() throws Exception {
    enqueue("t1", "t2");
    cancels.cancel(QUEUE, new TaskId("t1"));

    enqueue("t1");

    assertThat(takeAndAckAll()).containsExactly("t2", "t1");
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
  }

  /** A task held back by a type's concurrency limit is cancelled like a ready one. */
  @Test
  void cancel_heldBackByLimit_neverDequeued() throws Exception {
    if (!(broker instanceof Limits limits)) {
      return; // the broker offers no limits: nothing is held back
    }
    limits.setLimit(Limit.ofConcurrency(LimitTarget.type(TaskFixtures.TYPE), 1));
    enqueue("t1", "t2", "t3");
    List<Lease> first = broker.dequeueBatch(QUEUE, 10, LEASE, Duration.ZERO);
    assertThat(first).extracting(l -> l.task().id().value()).containsExactly("t1");

    assertThat(cancels.cancel(QUEUE, new TaskId("t2"))).isEqualTo(CancelOutcome.CANCELLED);

    broker.ack(first.get(0));
    assertThat(takeAndAckAll()).containsExactly("t3");
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 0, 0, 0));
  }

  /**
   * A real pool runs a handler that sleeps; cancelling its task interrupts it within 250 ms plus
   * broker round trips (the pool's check runs every 250 ms; the time taken is printed, the assert
   * only catches a cancel that waits for something else) and the task is not retried. A claimed
   * task not started yet is cancelled without running.
   */
  @Test
  void pool_runningHandlerInterrupted_notRetried_claimedOneNeverRuns() throws Exception {
    realTime = createBroker(InstantSource.system());
    TaskCancels operator = (TaskCancels) realTime;
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    List<Long> interruptedAt = new CopyOnWriteArrayList<>();
    List<TaskEvent> events = new CopyOnWriteArrayList<>();
    pool =
        WorkerPool.builder(realTime)
            .config(
                WorkerPoolConfig.builder()
                    .workers(1)
                    .prefetch(4)
                    .ackBatch(1)
                    .pollWait(Duration.ofSeconds(1))
                    .leaseTime(Duration.ofSeconds(10))
                    .build())
            .handler(
                TaskFixtures.TYPE,
                task -> {
                  runs.computeIfAbsent(task.id().value(), k -> new AtomicInteger())
                      .incrementAndGet();
                  try {
                    Thread.sleep(60_000);
                  } catch (InterruptedException e) {
                    interruptedAt.add(System.nanoTime());
                    throw e;
                  }
                })
            .listener(events::add)
            .build();
    realTime.enqueueAll(List.of(aTask("sleeper").build(), aTask("waiter").build()), Duration.ZERO);
    pool.start();
    await().atMost(PATIENCE).until(() -> runs.containsKey("sleeper"));
    await().atMost(PATIENCE).until(() -> realTime.stats(QUEUE).inFlight() == 2);

    long asked = System.nanoTime();
    assertThat(operator.cancel(QUEUE, new TaskId("waiter"))).isEqualTo(CancelOutcome.REQUESTED);
    assertThat(operator.cancel(QUEUE, new TaskId("sleeper"))).isEqualTo(CancelOutcome.REQUESTED);

    await().atMost(PATIENCE).until(() -> !interruptedAt.isEmpty());
    long tookMs = (interruptedAt.get(0) - asked) / 1_000_000;
    await().atMost(PATIENCE).until(() -> realTime.stats(QUEUE).inFlight() == 0);
    System.out.printf(
        "%s: running handler interrupted %d ms after cancel returned%n",
        getClass().getSimpleName(), tookMs);
    assertThat(tookMs).isLessThan(5_000);
    Thread.sleep(500); // a retry or a reclaim would hand it out again: nothing must run
    assertThat(runs).containsOnlyKeys("sleeper");
    assertThat(runs.get("sleeper").get()).isEqualTo(1);
    assertThat(realTime.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 0, 0, 0));
    assertThat(events)
        .filteredOn(e -> e instanceof TaskEvent.Cancelled)
        .extracting(e -> e.task().id().value())
        .containsExactlyInAnyOrder("sleeper", "waiter");
    assertThat(events)
        .noneMatch(e -> e instanceof TaskEvent.Failed || e instanceof TaskEvent.DeadLettered);
    assertThat(operator.cancel(QUEUE, new TaskId("sleeper")))
        .isEqualTo(CancelOutcome.ALREADY_ENDED);
  }

  protected final void enqueue(String... ids) throws InterruptedException {
    for (String id : ids) {
      broker.enqueue(aTask(id).build(), Duration.ZERO);
    }
  }

  /** Takes whatever is ready, one at a time, acks each, and returns their ids in order. */
  protected final List<String> takeAndAckAll() throws InterruptedException {
    List<String> ids = new java.util.ArrayList<>();
    Optional<Lease> lease;
    while ((lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isPresent()) {
      ids.add(lease.get().task().id().value());
      broker.ack(lease.get());
    }
    return ids;
  }
}
