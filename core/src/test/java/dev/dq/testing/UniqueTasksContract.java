package dev.dq.testing;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.TaskCancels;
import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.lifecycle.UniqueOutcome;
import dev.dq.core.lifecycle.UniqueTasks;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.DuplicateTaskException;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.QueueAdmin;
import dev.dq.core.port.QueueFullException;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every broker that offers {@link UniqueTasks} must do. An adapter's test extends it and
 * supplies {@link #create}; time comes only from {@link #clock}. Every test settles every lease it
 * takes.
 */
public abstract class UniqueTasksContract {
  protected static final String QUEUE = Task.DEFAULT_QUEUE;
  protected static final String OTHER_QUEUE = "other";
  protected static final Duration LEASE = Duration.ofSeconds(30);
  protected static final Duration WAIT = Duration.ofSeconds(5);

  protected final FakeClock clock = FakeClock.at(TaskFixtures.EPOCH);
  protected Broker broker;
  protected DeadLetterQueue deadLetters;
  protected UniqueTasks unique;

  /**
   * A new, empty broker that offers {@link UniqueTasks} and {@link QueueAdmin} (time only from
   * {@code clock}, at most {@code capacityPerQueue} waiting tasks per queue) and its dead-letter
   * queue.
   */
  protected abstract BrokerAndDeadLetters create(InstantSource clock, int capacityPerQueue);

  @BeforeEach
  final void createDefault() {
    use(create(clock, 1_000));
  }

  @AfterEach
  final void closeBroker() {
    broker.close();
  }

  private void use(BrokerAndDeadLetters pair) {
    broker = pair.broker();
    deadLetters = pair.deadLetters();
    unique = (UniqueTasks) broker;
  }

  @Test
  void enqueueUnique_first_enqueues_second_answersTheFirstsId() throws Exception {
    UniqueOutcome first = enqueue("t1", UniqueKey.untilDone("invoice:42"));
    UniqueOutcome second = enqueue("t2", UniqueKey.untilDone("invoice:42"));

    assertThat(first).isEqualTo(new UniqueOutcome(new TaskId("t1"), true));
    assertThat(second).isEqualTo(new UniqueOutcome(new TaskId("t1"), false));
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 1, 0, 0));
    assertThat(takeAndAck(QUEUE)).containsExactly("t1");
  }

  @Test
  void enqueueUnique_keysArePerQueue_andDistinctKeysDoNotCollide() throws Exception {
    assertThat(enqueue("t1", UniqueKey.untilDone("k")).enqueued()).isTrue();
    assertThat(enqueue("t2", UniqueKey.untilDone("k2")).enqueued()).isTrue();
    assertThat(
            unique
                .enqueueUnique(
                    aTask("o1").queue(OTHER_QUEUE).build(),
                    UniqueKey.untilDone("k"),
                    Duration.ZERO,
                    WAIT)
                .enqueued())
        .isTrue();
    assertThat(takeAndAck(QUEUE)).containsExactlyInAnyOrder("t1", "t2");
    assertThat(takeAndAck(OTHER_QUEUE)).containsExactly("o1");
  }

  @Test
  void untilDone_heldWhileRunning_releasedAfterAck() throws Exception {
    enqueue("t1", UniqueKey.untilDone("k"));
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();

    assertThat(enqueue("t2", UniqueKey.untilDone("k"))).isEqualTo(outcome("t1", false));
    broker.ack(lease);

    assertThat(enqueue("t2", UniqueKey.untilDone("k"))).isEqualTo(outcome("t2", true));
    assertThat(takeAndAck(QUEUE)).containsExactly("t2");
  }

  @Test
  void untilDone_heldWhileRetrying_releasedWhenItDies() throws Exception {
    enqueue("t1", UniqueKey.untilDone("k"));
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    broker.retryLater(lease, Duration.ofSeconds(10));
    assertThat(enqueue("t2", UniqueKey.untilDone("k"))).isEqualTo(outcome("t1", false));
    clock.advance(Duration.ofSeconds(10));
    lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();

    broker.deadLetter(lease, new Failure("boom", "gave up", 2, clock.instant()));

    assertThat(enqueue("t2", UniqueKey.untilDone("k"))).isEqualTo(outcome("t2", true));
    assertThat(takeAndAck(QUEUE)).containsExactly("t2");
    assertThat(deadLetters.size(QUEUE)).isEqualTo(1);
  }

  @Test
  void untilDone_deadLetterRequeued_doesNotTakeTheKeyBack_fromItsNewHolder() throws Exception {
    enqueue("t1", UniqueKey.untilDone("k"));
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    broker.deadLetter(lease, new Failure("boom", "gave up", 1, clock.instant()));
    enqueue("t2", UniqueKey.untilDone("k"));

    deadLetters.requeue(QUEUE, new TaskId("t1"));
    assertThat(deadLetters.delete(QUEUE, new TaskId("t1"))).isFalse();

    assertThat(enqueue("t3", UniqueKey.untilDone("k"))).isEqualTo(outcome("t2", false));
    assertThat(takeAndAck(QUEUE)).containsExactlyInAnyOrder("t1", "t2");
    assertThat(enqueue("t3", UniqueKey.untilDone("k"))).isEqualTo(outcome("t3", true));
    assertThat(takeAndAck(QUEUE)).containsExactly("t3");
  }

  @Test
  void deadLetterDeleted_keyOfALaterHolder_staysHeld() throws Exception {
    enqueue("t1", UniqueKey.untilDone("k"));
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    broker.deadLetter(lease, new Failure("boom", "gave up", 1, clock.instant()));
    enqueue("t2", UniqueKey.untilDone("k"));

    assertThat(deadLetters.delete(QUEUE, new TaskId("t1"))).isTrue();

    assertThat(enqueue("t3", UniqueKey.untilDone("k"))).isEqualTo(outcome("t2", false));
    assertThat(takeAndAck(QUEUE)).containsExactly("t2");
  }

  @Test
  void untilDone_releasedWhenItsTaskIsCancelled() throws Exception {
    assertThat(broker).as("every contract broker cancels").isInstanceOf(TaskCancels.class);
    enqueue("t1", UniqueKey.untilDone("k"));

    assertThat(((TaskCancels) broker).cancel(QUEUE, new TaskId("t1")))
        .isEqualTo(CancelOutcome.CANCELLED);

    assertThat(enqueue("t2", UniqueKey.untilDone("k"))).isEqualTo(outcome("t2", true));
    assertThat(takeAndAck(QUEUE)).containsExactly("t2");
  }

  @Test
  void window_heldAfterAck_untilItPasses() throws Exception {
    enqueue("t1", UniqueKey.forWindow("k", Duration.ofMinutes(10)));
    assertThat(takeAndAck(QUEUE)).containsExactly("t1");

    clock.advance(Duration.ofMinutes(10).minusMillis(1));
    assertThat(enqueue("t2", UniqueKey.forWindow("k", Duration.ofMinutes(10))))
        .isEqualTo(outcome("t1", false));

    clock.advance(Duration.ofMillis(1));
    assertThat(enqueue("t2", UniqueKey.forWindow("k", Duration.ofMinutes(10))))
        .isEqualTo(outcome("t2", true));
    assertThat(takeAndAck(QUEUE)).containsExactly("t2");
  }

  @Test
  void window_passed_taskStillHeld_keyStaysHeldUntilItEnds() throws Exception {
    enqueue("t1", UniqueKey.forWindow("k", Duration.ofSeconds(5)));
    clock.advance(Duration.ofSeconds(6));

    assertThat(enqueue("t2", UniqueKey.untilDone("k"))).isEqualTo(outcome("t1", false));
    assertThat(takeAndAck(QUEUE)).containsExactly("t1");
    assertThat(enqueue("t2", UniqueKey.untilDone("k"))).isEqualTo(outcome("t2", true));
    assertThat(takeAndAck(QUEUE)).containsExactly("t2");
  }

  @Test
  void window_survivesTheDeadLettersDeletion() throws Exception {
    enqueue("t1", UniqueKey.forWindow("k", Duration.ofMinutes(1)));
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    broker.deadLetter(lease, new Failure("boom", "gave up", 1, clock.instant()));
    assertThat(deadLetters.delete(QUEUE, new TaskId("t1"))).isTrue();

    assertThat(enqueue("t2", UniqueKey.untilDone("k"))).isEqualTo(outcome("t1", false));
    clock.advance(Duration.ofMinutes(1));
    assertThat(enqueue("t2", UniqueKey.untilDone("k"))).isEqualTo(outcome("t2", true));
    assertThat(takeAndAck(QUEUE)).containsExactly("t2");
  }

  @Test
  void delay_appliesToTheUniqueTask() throws Exception {
    unique.enqueueUnique(
        aTask("t1").build(), UniqueKey.untilDone("k"), Duration.ofSeconds(30), WAIT);

    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 0, 0, 1));
    assertThat(enqueue("t2", UniqueKey.untilDone("k"))).isEqualTo(outcome("t1", false));
    clock.advance(Duration.ofSeconds(30));
    assertThat(takeAndAck(QUEUE)).containsExactly("t1");
  }

  @Test
  void keyHeld_queueFull_answersTheHolderAtOnce() throws Exception {
    broker.close();
    use(create(clock, 1));
    enqueue("t1", UniqueKey.untilDone("k"));

    assertThat(enqueue("t2", UniqueKey.untilDone("k"))).isEqualTo(outcome("t1", false));
    assertThatThrownBy(() -> enqueue("t3", UniqueKey.untilDone("k3")))
        .isInstanceOf(QueueFullException.class);
    assertThat(takeAndAck(QUEUE)).containsExactly("t1");
    assertThat(enqueue("t3", UniqueKey.untilDone("k3"))).isEqualTo(outcome("t3", true));
    assertThat(takeAndAck(QUEUE)).containsExactly("t3");
  }

  @Test
  void duplicateId_withoutTheKey_throws_andTakesNoKey() throws Exception {
    broker.enqueue(aTask("t1").build(), WAIT);

    assertThatThrownBy(() -> enqueue("t1", UniqueKey.untilDone("k")))
        .isInstanceOf(DuplicateTaskException.class);
    assertThat(takeAndAck(QUEUE)).containsExactly("t1");
    assertThat(enqueue("t2", UniqueKey.untilDone("k"))).isEqualTo(outcome("t2", true));
    assertThat(takeAndAck(QUEUE)).containsExactly("t2");
  }

  @Test
  void racingThreads_oneKey_exactlyOneEnqueues() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 20; round++) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<UniqueOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          String id = "r" + round + "-" + i;
          outcomes.add(
              pool.submit(
                  () -> {
                    start.await();
                    return enqueue(id, UniqueKey.untilDone("race"));
                  }));
        }
        start.countDown();
        List<UniqueOutcome> done = new ArrayList<>();
        for (Future<UniqueOutcome> f : outcomes) {
          done.add(f.get(30, TimeUnit.SECONDS));
        }
        List<UniqueOutcome> winners = done.stream().filter(UniqueOutcome::enqueued).toList();
        assertThat(winners).as("round " + round).hasSize(1);
        assertThat(done).extracting(UniqueOutcome::id).containsOnly(winners.get(0).id());
        assertThat(takeAndAck(QUEUE)).containsExactly(winners.get(0).id().value());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void queueDeleted_windowedKey_isTakenOver() throws Exception {
    enqueue("t1", UniqueKey.forWindow("k", Duration.ofHours(1)));
    assertThat(takeAndAck(QUEUE)).containsExactly("t1");

    ((QueueAdmin) broker).deleteQueue(QUEUE);

    assertThat(enqueue("t2", UniqueKey.forWindow("k", Duration.ofHours(1))))
        .isEqualTo(outcome("t2", true));
    assertThat(takeAndAck(QUEUE)).containsExactly("t2");
  }

  @Test
  void reusedId_afterItsTaskEnded_takesItsNewKey_andFreesTheOld() throws Exception {
    enqueue("t1", UniqueKey.untilDone("a"));
    assertThat(takeAndAck(QUEUE)).containsExactly("t1");

    assertThat(enqueue("t1", UniqueKey.untilDone("b"))).isEqualTo(outcome("t1", true));

    assertThat(enqueue("t2", UniqueKey.untilDone("a"))).isEqualTo(outcome("t2", true));
    assertThat(enqueue("t3", UniqueKey.untilDone("b"))).isEqualTo(outcome("t1", false));
    assertThat(takeAndAck(QUEUE)).containsExactlyInAnyOrder("t1", "t2");
  }

  @Test
  void badKeys_rejectedWithTheValue() {
    String tooLong = "x".repeat(UniqueKey.MAX_LENGTH + 1);
    assertThatThrownBy(() -> UniqueKey.untilDone(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"\"");
    assertThatThrownBy(() -> UniqueKey.untilDone(tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(tooLong);
    assertThatThrownBy(() -> UniqueKey.forWindow("k", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
    assertThat(UniqueKey.untilDone("x".repeat(UniqueKey.MAX_LENGTH)).window())
        .isEqualTo(Optional.empty());
  }

  @Test
  void longestKey_andAnyText_work() throws Exception {
    String key = "ключ:" + "x".repeat(UniqueKey.MAX_LENGTH - 5);
    assertThat(enqueue("t1", UniqueKey.untilDone(key)).enqueued()).isTrue();
    assertThat(enqueue("t2", UniqueKey.untilDone(key))).isEqualTo(outcome("t1", false));
    assertThat(takeAndAck(QUEUE)).containsExactly("t1");
  }

  protected final UniqueOutcome enqueue(String id, UniqueKey key) throws InterruptedException {
    return unique.enqueueUnique(aTask(id).build(), key, Duration.ZERO, Duration.ZERO);
  }

  protected static UniqueOutcome outcome(String id, boolean enqueued) {
    return new UniqueOutcome(new TaskId(id), enqueued);
  }

  /** Takes every ready task of {@code queue}, acks them all, and returns their ids. */
  protected final List<String> takeAndAck(String queue) throws InterruptedException {
    List<Lease> leases = broker.dequeueBatch(queue, 100, LEASE, Duration.ZERO);
    assertThat(broker.ackAll(leases)).isEmpty();
    return leases.stream().map(l -> l.task().id().value()).toList();
  }
}
