package dev.dq.testing;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.QueueFullException;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ordering contract of {@link Broker} for task priorities, stated once for every adapter: a
 * ready task of a higher priority is always taken before one of a lower priority, each level is
 * FIFO, and a task keeps its level when delayed, retried, released, reclaimed or requeued from the
 * dead-letter queue. An adapter's test extends it and supplies {@link #create}. Every test settles
 * every lease it takes.
 */
public abstract class PriorityContract {
  protected static final String QUEUE = Task.DEFAULT_QUEUE;
  protected static final int LARGE_CAPACITY = 10_000;
  protected static final Duration LEASE = Duration.ofSeconds(30);

  protected final FakeClock clock = FakeClock.at(TaskFixtures.EPOCH);
  protected Broker broker;
  protected DeadLetterQueue deadLetters;

  /**
   * A new, empty broker (default task limits, time only from {@code clock}, at most {@code
   * capacityPerQueue} waiting tasks per queue) and the dead-letter queue its {@link
   * Broker#deadLetter} writes to.
   */
  protected abstract BrokerAndDeadLetters create(InstantSource clock, int capacityPerQueue);

  @BeforeEach
  final void createDefault() {
    use(LARGE_CAPACITY);
  }

  @AfterEach
  final void closeBroker() {
    broker.close();
  }

  private void use(int capacity) {
    if (broker != null) {
      broker.close();
    }
    BrokerAndDeadLetters created = create(clock, capacity);
    broker = created.broker();
    deadLetters = created.deadLetters();
  }

  // --- ordering across levels, FIFO within one

  @Test
  void dequeue_levelsEnqueuedInAnyOrder_takesHighestLevelFirstThenFifo() throws Exception {
    enqueue("low-1", 1);
    enqueue("mid-1", 5);
    enqueue("top-1", 9);
    enqueue("mid-2", 5);
    enqueue("zero-1", 0);
    enqueue("top-2", 9);
    enqueue("low-2", 1);
    enqueue("high-1", 7);

    assertThat(takeAndAckAll())
        .containsExactly("top-1", "top-2", "high-1", "mid-1", "mid-2", "low-1", "low-2", "zero-1");
  }

  @Test
  void dequeue_eachLevel_deliversTaskWithItsPriority() throws Exception {
    for (int p = Task.MIN_PRIORITY; p <= Task.MAX_PRIORITY; p++) {
      Task task = aTask("p" + p).priority(p).payload("x").header("k", "v").build();
      broker.enqueue(task, Duration.ZERO);
    }

    for (int p = Task.MAX_PRIORITY; p >= Task.MIN_PRIORITY; p--) {
      Lease lease = take();
      assertThat(lease.task())
          .isEqualTo(aTask("p" + p).priority(p).payload("x").header("k", "v").build());
      broker.ack(lease);
    }
  }

  @Test
  void dequeue_higherLevelArrivesWhileLowerWait_higherGoesNext() throws Exception {
    for (int i = 0; i < 5; i++) {
      enqueue("low-" + i, 2);
    }
    Lease first = take();
    enqueue("urgent", 8);

    assertThat(first.task().id().value()).isEqualTo("low-0");
    broker.ack(first);
    assertThat(takeAndAckAll()).containsExactly("urgent", "low-1", "low-2", "low-3", "low-4");
  }

  @Test
  void dequeueBatch_acrossLevels_takesInLevelThenFifoOrder() throws Exception {
    enqueue("a", 3);
    enqueue("b", 6);
    enqueue("c", 3);
    enqueue("d", 6);
    enqueue("e", 5);

    List<Lease> batch = broker.dequeueBatch(QUEUE, 4, LEASE, Duration.ZERO);

    assertThat(batch).extracting(l -> l.task().id().value()).containsExactly("b", "d", "e", "a");
    assertThat(broker.ackAll(batch)).isEmpty();
    assertThat(takeAndAckAll()).containsExactly("c");
  }

  @Test
  void enqueueAll_mixedLevels_takesByLevelThenBatchOrder() throws Exception {
    Random random = new Random(42);
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      tasks.add(aTask(String.format("t%03d", i)).priority(random.nextInt(10)).build());
    }
    broker.enqueueAll(tasks, Duration.ZERO);

    List<String> expected =
        tasks.stream()
            .sorted(
                java.util.Comparator.comparingInt(Task::priority)
                    .reversed()
                    .thenComparing(t -> t.id().value()))
            .map(t -> t.id().value())
            .toList();
    assertThat(takeAndAckAll()).containsExactlyElementsOf(expected);
  }

  // --- a task keeps its level

  @Test
  void enqueueIn_delayedTasks_becomeReadyAtTheirOwnLevel() throws Exception {
    enqueue("mid-now", 5);
    broker.enqueueIn(aTask("low-later").priority(1).build(), Duration.ofSeconds(10), Duration.ZERO);
    broker.enqueueIn(aTask("top-later").priority(9).build(), Duration.ofSeconds(10), Duration.ZERO);
    broker.enqueueAt(
        aTask("high-later").priority(7).build(), clock.instant().plusSeconds(10), Duration.ZERO);
    enqueue("top-now", 9);

    clock.advance(Duration.ofSeconds(11));

    assertThat(takeAndAckAll())
        .containsExactly("top-now", "top-later", "high-later", "mid-now", "low-later");
  }

  @Test
  void retryLater_keepsLevel_withAndWithoutDelay() throws Exception {
    enqueue("mid-1", 5);
    enqueue("high-now", 8);
    enqueue("high-later", 8);
    enqueue("low-1", 2);
    Lease now = take();
    Lease later = take();
    assertThat(List.of(now, later))
        .extracting(l -> l.task().id().value())
        .containsExactly("high-now", "high-later");

    broker.retryLater(now, Duration.ZERO);
    broker.retryLater(later, Duration.ofSeconds(5));
    Lease again = take();
    assertThat(again.task().id().value()).isEqualTo("high-now");
    assertThat(again.task().attempt()).isEqualTo(2);
    assertThat(again.task().priority()).isEqualTo(8);
    broker.ack(again);

    clock.advance(Duration.ofSeconds(6));
    assertThat(takeAndAckAll()).containsExactly("high-later", "mid-1", "low-1");
  }

  @Test
  void release_zeroDelay_goesToHeadOfItsOwnLevel() throws Exception {
    enqueue("low-1", 3);
    enqueue("low-2", 3);
    enqueue("mid-1", 5);
    Lease mid = take();
    Lease low = take();
    assertThat(low.task().id().value()).isEqualTo("low-1");

    broker.release(mid, Duration.ZERO);
    broker.release(low, Duration.ZERO); // released last, yet behind the level above it

    assertThat(takeAndAckAll()).containsExactly("mid-1", "low-1", "low-2");
  }

  @Test
  void release_withDelay_comesBackAtItsLevel() throws Exception {
    enqueue("top-1", 9);
    enqueue("mid-1", 5);
    Lease top = take();

    broker.release(top, Duration.ofSeconds(5));
    enqueue("mid-2", 5);
    assertThat(takeAndAckAll()).containsExactly("mid-1", "mid-2");
    enqueue("mid-3", 5);
    clock.advance(Duration.ofSeconds(6));

    Lease back = take();
    assertThat(back.task().id().value()).isEqualTo("top-1");
    assertThat(back.task().attempt()).isEqualTo(1);
    broker.ack(back);
    assertThat(takeAndAckAll()).containsExactly("mid-3");
  }

  @Test
  void reclaimExpiredLeases_keepsLevel() throws Exception {
    enqueue("high-1", 7);
    enqueue("low-1", 1);
    Lease lost = take();
    assertThat(lost.task().id().value()).isEqualTo("high-1");
    enqueue("mid-1", 5);

    clock.advance(LEASE.plusSeconds(1));
    assertThat(broker.reclaimExpiredLeases()).isEqualTo(1);

    assertThat(takeAndAckAll()).containsExactly("high-1", "mid-1", "low-1");
  }

  @Test
  void requeueFromDeadLetters_keepsLevel() throws Exception {
    enqueue("high-1", 8);
    Lease lease = take();
    broker.deadLetter(lease, new Failure("boom", "boom", 1, clock.instant()));
    enqueue("mid-1", 5);
    enqueue("low-1", 0);

    deadLetters.requeue(QUEUE, new TaskId("high-1"));

    Lease back = take();
    assertThat(back.task().id().value()).isEqualTo("high-1");
    assertThat(back.task().priority()).isEqualTo(8);
    broker.ack(back);
    assertThat(takeAndAckAll()).containsExactly("mid-1", "low-1");
  }

  // --- counts

  @Test
  void stats_countsReadyAndDelayedOfEveryLevel() throws Exception {
    enqueue("a", 0);
    enqueue("b", 5);
    enqueue("c", 9);
    enqueue("d", 9);
    broker.enqueueIn(aTask("e").priority(3).build(), Duration.ofSeconds(10), Duration.ZERO);
    broker.enqueueIn(aTask("f").priority(5).build(), Duration.ofSeconds(10), Duration.ZERO);
    Lease lease = take();

    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 3, 1, 2));
    clock.advance(Duration.ofSeconds(11));
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 5, 1, 0));

    broker.ack(lease);
    assertThat(takeAndAckAll()).containsExactly("d", "b", "f", "e", "a");
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 0, 0, 0));
  }

  @Test
  void enqueue_capacity_countsTasksOfEveryLevel() throws Exception {
    use(4);
    enqueue("a", 1);
    enqueue("b", 9);
    broker.enqueueAll(
        List.of(aTask("c").priority(0).build(), aTask("d").priority(7).build()), Duration.ZERO);

    assertThatThrownBy(() -> enqueue("e", 3)).isInstanceOf(QueueFullException.class);
    assertThatThrownBy(() -> enqueue("f", 5)).isInstanceOf(QueueFullException.class);
    assertThatThrownBy(
            () -> broker.enqueueAll(List.of(aTask("g").priority(8).build()), Duration.ZERO))
        .isInstanceOf(QueueFullException.class);

    broker.ack(take());
    enqueue("h", 2);
    assertThat(takeAndAckAll()).containsExactly("d", "h", "a", "c");
  }

  // --- helpers

  private void enqueue(String id, int priority) throws InterruptedException {
    broker.enqueue(aTask(id).priority(priority).build(), Duration.ZERO);
  }

  private Lease take() throws InterruptedException {
    return Takes.take(broker, QUEUE, LEASE);
  }

  private List<String> takeAndAckAll() throws InterruptedException {
    return Takes.takeAndAckAll(broker, QUEUE, LEASE);
  }
}
