package dev.dq.testing;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.DeleteOutcome;
import dev.dq.core.lifecycle.RunNowOutcome;
import dev.dq.core.lifecycle.TaskCancels;
import dev.dq.core.lifecycle.TaskControls;
import dev.dq.core.lifecycle.TaskLookup;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.lifecycle.UniqueTasks;
import dev.dq.core.limit.Limit;
import dev.dq.core.limit.LimitTarget;
import dev.dq.core.limit.Limits;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.QueuePauses;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every broker that offers {@link TaskControls} must do: every state of a task against run-now
 * and delete. The broker must offer {@link TaskLookup} and {@link TaskCancels} too (to see and make
 * those states). An adapter's test extends it and supplies {@link #createBroker}; time comes only
 * from {@link #clock}. Every test settles every lease it takes.
 */
public abstract class TaskControlsContract {
  protected static final String QUEUE = Task.DEFAULT_QUEUE;
  protected static final Duration LEASE = Duration.ofSeconds(30);

  protected final FakeClock clock = FakeClock.at(TaskFixtures.EPOCH);
  protected Broker broker;
  protected TaskControls controls;
  private TaskLookup lookup;

  /**
   * A new, empty broker that offers {@link TaskControls} and reads time only from {@code clock}.
   */
  protected abstract Broker createBroker(InstantSource clock);

  /**
   * Fault injection: leaves the waiting task {@code id} of {@link #QUEUE} held by the queue but not
   * where the broker looks for it first (in another list than its level's, or in none), a state no
   * operation leaves but a bug or a hand edit may.
   */
  protected abstract void mislay(TaskId id);

  /** The dead-letter queue of {@link #broker}. */
  protected abstract DeadLetterQueue deadLetterQueue();

  @BeforeEach
  final void createDefaultBroker() {
    broker = createBroker(clock);
    controls = (TaskControls) broker;
    lookup = (TaskLookup) broker;
  }

  @AfterEach
  final void closeBroker() {
    broker.close();
  }

  // --- run now

  @Test
  void runNow_delayed_readyNow_keepsPriorityHeadersAndAttempt() throws Exception {
    broker.enqueueIn(
        aTask("later").priority(7).header("tenant", "a").payload("p").build(),
        Duration.ofHours(1),
        Duration.ZERO);

    assertThat(controls.runNow(QUEUE, id("later"))).isEqualTo(RunNowOutcome.MADE_READY);

    assertThat(state("later")).contains(TaskState.READY);
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    assertThat(lease.task())
        .isEqualTo(aTask("later").priority(7).header("tenant", "a").payload("p").build());
    broker.ack(lease);
  }

  @Test
  void runNow_retrying_keepsItsAttempt_runsBeforeItsDueTime() throws Exception {
    enqueue("t1");
    broker.retryLater(take(), Duration.ofHours(1));

    assertThat(controls.runNow(QUEUE, id("t1"))).isEqualTo(RunNowOutcome.MADE_READY);

    Lease second = take();
    assertThat(second.task().id()).isEqualTo(id("t1"));
    assertThat(second.task().attempt()).isEqualTo(2);
    broker.ack(second);
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
  }

  @Test
  void runNow_goesToTheTailOfItsLevel() throws Exception {
    broker.enqueueIn(aTask("later").build(), Duration.ofHours(1), Duration.ZERO);
    enqueue("t1");

    controls.runNow(QUEUE, id("later"));
    enqueue("t2");

    assertThat(takeAndAckAll()).containsExactly("t1", "later", "t2");
  }

  @Test
  void runNow_ready_alreadyReady_orderUnchanged() throws Exception {
    enqueue("t1", "t2");

    assertThat(controls.runNow(QUEUE, id("t2"))).isEqualTo(RunNowOutcome.ALREADY_READY);

    assertThat(takeAndAckAll()).containsExactly("t1", "t2");
  }

  @Test
  void runNow_running_finished_dead_unknown_saySo_changeNothing() throws Exception {
    enqueue("running", "acked", "cancelled", "dead");
    Lease running = take();
    broker.ack(take());
    ((TaskCancels) broker).cancel(QUEUE, id("cancelled"));
    broker.deadLetter(take(), Failure.of(new IllegalStateException("boom"), 1, clock.instant()));

    assertThat(controls.runNow(QUEUE, id("running"))).isEqualTo(RunNowOutcome.RUNNING);
    assertThat(controls.runNow(QUEUE, id("acked"))).isEqualTo(RunNowOutcome.FINISHED);
    assertThat(controls.runNow(QUEUE, id("cancelled"))).isEqualTo(RunNowOutcome.FINISHED);
    assertThat(controls.runNow(QUEUE, id("dead"))).isEqualTo(RunNowOutcome.DEAD);
    assertThat(controls.runNow(QUEUE, id("nope"))).isEqualTo(RunNowOutcome.NOT_FOUND);
    assertThat(controls.runNow("never-used", id("nope"))).isEqualTo(RunNowOutcome.NOT_FOUND);

    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    assertThat(state("dead")).contains(TaskState.DEAD);
    broker.ack(running);
    assertThat(state("running")).contains(TaskState.SUCCEEDED);
  }

  /** A task made ready now is still held back by its type's limit while that limit is closed. */
  @Test
  void runNow_limitStillGoverns() throws Exception {
    if (!(broker instanceof Limits limits)) {
      return; // the broker offers no limits: nothing is held back
    }
    limits.setLimit(Limit.ofConcurrency(LimitTarget.type(TaskFixtures.TYPE), 1));
    enqueue("t1");
    Lease first = take();
    broker.enqueueIn(aTask("later").build(), Duration.ofHours(1), Duration.ZERO);

    assertThat(controls.runNow(QUEUE, id("later"))).isEqualTo(RunNowOutcome.MADE_READY);

    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty(); // held back now
    assertThat(controls.runNow(QUEUE, id("later"))).isEqualTo(RunNowOutcome.ALREADY_READY);
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    broker.ack(first);
    assertThat(takeAndAckAll()).containsExactly("later");
  }

  // --- delete

  @Test
  void delete_readyAtAnyLevel_neverRuns_notFound_othersKeepTheirOrder() throws Exception {
    broker.enqueue(aTask("high").priority(8).build(), Duration.ZERO);
    enqueue("t1", "t2", "t3");

    assertThat(controls.delete(QUEUE, id("high"))).isEqualTo(DeleteOutcome.DELETED);
    assertThat(controls.delete(QUEUE, id("t2"))).isEqualTo(DeleteOutcome.DELETED);

    assertThat(state("t2")).isEmpty();
    assertThat(state("high")).isEmpty();
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 2, 0, 0));
    assertThat(takeAndAckAll()).containsExactly("t1", "t3");
    assertThat(controls.delete(QUEUE, id("t2"))).isEqualTo(DeleteOutcome.NOT_FOUND);
  }

  @Test
  void delete_delayedAndRetrying_neverRunWhenDue() throws Exception {
    broker.enqueueIn(aTask("later").build(), Duration.ofMinutes(1), Duration.ZERO);
    enqueue("t1");
    broker.retryLater(take(), Duration.ofMinutes(1));

    assertThat(controls.delete(QUEUE, id("later"))).isEqualTo(DeleteOutcome.DELETED);
    assertThat(controls.delete(QUEUE, id("t1"))).isEqualTo(DeleteOutcome.DELETED);

    clock.advance(Duration.ofMinutes(2));
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 0, 0, 0));
    assertThat(state("later")).isEmpty();
    assertThat(state("t1")).isEmpty();
  }

  @Test
  void delete_heldBackByLimit_neverRuns() throws Exception {
    if (!(broker instanceof Limits limits)) {
      return; // the broker offers no limits: nothing is held back
    }
    limits.setLimit(Limit.ofConcurrency(LimitTarget.type(TaskFixtures.TYPE), 1));
    enqueue("t1", "t2", "t3");
    List<Lease> first = broker.dequeueBatch(QUEUE, 10, LEASE, Duration.ZERO);
    assertThat(first).extracting(l -> l.task().id().value()).containsExactly("t1");

    assertThat(controls.delete(QUEUE, id("t2"))).isEqualTo(DeleteOutcome.DELETED);

    broker.ack(first.get(0));
    assertThat(takeAndAckAll()).containsExactly("t3");
    assertThat(state("t2")).isEmpty();
  }

  /** A deleted task is as if never enqueued: the unique key it took is free, even in its window. */
  @Test
  void delete_uniqueTask_freesItsKey() throws Exception {
    UniqueKey key = UniqueKey.forWindow("k", Duration.ofHours(1));
    assertThat(enqueueUnique("u1", key)).isTrue();
    assertThat(enqueueUnique("u2", key)).isFalse();

    assertThat(controls.delete(QUEUE, id("u1"))).isEqualTo(DeleteOutcome.DELETED);

    assertThat(enqueueUnique("u3", key)).isTrue();
    assertThat(takeAndAckAll()).containsExactly("u3");
  }

  @Test
  void delete_running_refused_nothingChanged() throws Exception {
    enqueue("t1");
    Lease lease = take();

    assertThat(controls.delete(QUEUE, id("t1"))).isEqualTo(DeleteOutcome.RUNNING);

    assertThat(state("t1")).contains(TaskState.ACTIVE);
    assertThat(broker.stats(QUEUE).inFlight()).isEqualTo(1);
    broker.ack(lease);
    assertThat(state("t1")).contains(TaskState.SUCCEEDED);
  }

  @Test
  void delete_finished_removesItsRecord() throws Exception {
    enqueue("acked", "cancelled");
    broker.ack(take());
    ((TaskCancels) broker).cancel(QUEUE, id("cancelled"));
    assertThat(state("acked")).contains(TaskState.SUCCEEDED);

    assertThat(controls.delete(QUEUE, id("acked"))).isEqualTo(DeleteOutcome.RECORD_DELETED);
    assertThat(controls.delete(QUEUE, id("cancelled"))).isEqualTo(DeleteOutcome.RECORD_DELETED);

    assertThat(state("acked")).isEmpty();
    assertThat(state("cancelled")).isEmpty();
    assertThat(controls.delete(QUEUE, id("acked"))).isEqualTo(DeleteOutcome.NOT_FOUND);
  }

  @Test
  void delete_dead_refused_unknown_notFound() throws Exception {
    enqueue("dead");
    broker.deadLetter(take(), Failure.of(new IllegalStateException("boom"), 1, clock.instant()));

    assertThat(controls.delete(QUEUE, id("dead"))).isEqualTo(DeleteOutcome.DEAD);
    assertThat(controls.delete(QUEUE, id("nope"))).isEqualTo(DeleteOutcome.NOT_FOUND);
    assertThat(controls.delete("never-used", id("nope"))).isEqualTo(DeleteOutcome.NOT_FOUND);

    assertThat(state("dead")).contains(TaskState.DEAD);
  }

  /**
   * A delete of a task found out of place still takes it out of every line before its data goes: it
   * is never handed out nor dead-lettered later, and the rest of the queue drains.
   */
  @Test
  void delete_mislaidTask_goesEntirely_neverDeadLettered() throws Exception {
    enqueue("t1", "t2");
    mislay(id("t1"));

    assertThat(controls.delete(QUEUE, id("t1"))).isEqualTo(DeleteOutcome.DELETED);

    assertThat(takeAndAckAll()).containsExactly("t2");
    assertThat(state("t1")).isEmpty();
    assertThat(deadLetterQueue().size(QUEUE)).isZero();
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 0, 0, 0));
  }

  /** The record of a unique task deleted within its window keeps the key held, as trim does. */
  @Test
  void delete_recordOfUniqueTaskInItsWindow_keyStaysHeld() throws Exception {
    UniqueKey key = UniqueKey.forWindow("k", Duration.ofHours(1));
    assertThat(enqueueUnique("u1", key)).isTrue();
    broker.ack(take());

    assertThat(controls.delete(QUEUE, id("u1"))).isEqualTo(DeleteOutcome.RECORD_DELETED);

    assertThat(enqueueUnique("u2", key)).isFalse();
    assertThat(state("u2")).isEmpty();
  }

  /** Run-now does not lift a pause: the task is ready, and runs once the queue is resumed. */
  @Test
  void runNow_inPausedQueue_staysPaused() throws Exception {
    if (!(broker instanceof QueuePauses pauses)) {
      return; // the broker offers no pauses
    }
    broker.enqueueIn(aTask("t1").build(), Duration.ofHours(1), Duration.ZERO);
    pauses.pause(QUEUE, "test", "maintenance", Optional.empty());

    assertThat(controls.runNow(QUEUE, id("t1"))).isEqualTo(RunNowOutcome.MADE_READY);

    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    assertThat(pauses.resume(QUEUE)).isTrue();
    assertThat(takeAndAckAll()).containsExactly("t1");
  }

  /**
   * A lease that expired and was not reclaimed yet is still running for both: nothing changes, and
   * the reclaim hands the task out again.
   */
  @Test
  void expiredLeaseNotReclaimed_runNowAndDeleteAnswerRunning() throws Exception {
    enqueue("t1");
    take();
    clock.advance(LEASE.plusSeconds(1));

    assertThat(controls.runNow(QUEUE, id("t1"))).isEqualTo(RunNowOutcome.RUNNING);
    assertThat(controls.delete(QUEUE, id("t1"))).isEqualTo(DeleteOutcome.RUNNING);

    broker.reclaimExpiredLeases();
    assertThat(takeAndAckAll()).containsExactly("t1");
  }

  /** The id of a deleted task may be enqueued again: that task runs, once. */
  @Test
  void deletedId_enqueuedAgain_runsOnce() throws Exception {
    enqueue("t1", "t2");
    controls.delete(QUEUE, id("t1"));

    enqueue("t1");

    assertThat(takeAndAckAll()).containsExactly("t2", "t1");
  }

  /**
   * A worker claims while an operator deletes and runs-now every task: each task is either deleted
   * (and never handed out) or claimed (and the operator was told it runs); none is lost or doubled.
   */
  @Test
  void raceWithClaims_eachTaskDeletedOrRunOnce_noneLost() throws Exception {
    int n = 200;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("r" + i);
    }
    enqueue(ids.toArray(String[]::new));
    ExecutorService worker = Executors.newSingleThreadExecutor();
    try {
      Future<List<String>> claimed =
          worker.submit(
              () -> {
                List<String> got = new ArrayList<>();
                List<Lease> batch;
                while (!(batch = broker.dequeueBatch(QUEUE, 3, LEASE, Duration.ZERO)).isEmpty()) {
                  batch.forEach(l -> got.add(l.task().id().value()));
                  broker.ackAll(batch);
                }
                return got;
              });
      Set<String> deleted = new HashSet<>();
      for (String each : ids) {
        RunNowOutcome ran = controls.runNow(QUEUE, id(each));
        assertThat(ran)
            .isIn(RunNowOutcome.ALREADY_READY, RunNowOutcome.RUNNING, RunNowOutcome.FINISHED);
        DeleteOutcome outcome = controls.delete(QUEUE, id(each));
        assertThat(outcome)
            .isIn(DeleteOutcome.DELETED, DeleteOutcome.RUNNING, DeleteOutcome.RECORD_DELETED);
        if (outcome == DeleteOutcome.DELETED) {
          deleted.add(each);
        }
      }
      List<String> ran = claimed.get();
      assertThat(ran).doesNotHaveDuplicates().noneMatch(deleted::contains);
      Set<String> all = new HashSet<>(ran);
      all.addAll(deleted);
      assertThat(all).hasSize(n);
    } finally {
      worker.shutdownNow();
    }
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 0, 0, 0));
  }

  /** The task claimed first: run-now and delete answer that it runs, and its run completes. */
  @Test
  void claimedFirst_runNowAndDeleteAnswerRunning_ackStillCounts() throws Exception {
    broker.enqueueIn(aTask("t1").build(), Duration.ofMinutes(1), Duration.ZERO);
    clock.advance(Duration.ofMinutes(2));
    Lease lease = take();

    assertThat(controls.runNow(QUEUE, id("t1"))).isEqualTo(RunNowOutcome.RUNNING);
    assertThat(controls.delete(QUEUE, id("t1"))).isEqualTo(DeleteOutcome.RUNNING);

    broker.ack(lease);
    assertThat(state("t1")).contains(TaskState.SUCCEEDED);
    assertThat(((TaskCancels) broker).cancel(QUEUE, id("t1")))
        .isEqualTo(CancelOutcome.ALREADY_ENDED);
  }

  private Optional<TaskState> state(String id) {
    return lookup.find(QUEUE, id(id)).map(info -> info.state());
  }

  private static TaskId id(String value) {
    return new TaskId(value);
  }

  private Lease take() throws InterruptedException {
    return Takes.take(broker, QUEUE, LEASE);
  }

  private boolean enqueueUnique(String id, UniqueKey key) throws InterruptedException {
    return ((UniqueTasks) broker)
        .enqueueUnique(aTask(id).build(), key, Duration.ZERO, LEASE)
        .enqueued();
  }

  private void enqueue(String... ids) throws InterruptedException {
    for (String id : ids) {
      broker.enqueue(aTask(id).build(), Duration.ZERO);
    }
  }

  private List<String> takeAndAckAll() throws InterruptedException {
    return Takes.takeAndAckAll(broker, QUEUE, LEASE);
  }
}
