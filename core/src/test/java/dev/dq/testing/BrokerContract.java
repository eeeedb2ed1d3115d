package dev.dq.testing;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.port.DuplicateTaskException;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import dev.dq.core.port.QueueFullException;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.task.TaskLimits;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link Broker} must do, stated once (Okio's {@code AbstractFileSystemTest}). An
 * adapter's test extends it and supplies {@link #createBroker}; adapter-specific cases go in the
 * subclass.
 *
 * <p>Time comes only from {@link #clock}, which the tests advance; the adapter must read lease
 * expiry and due times from the clock it is given. Cross-thread blocking is observed with {@link
 * BackgroundCall} and Awaitility, never with sleeps. Every test settles every lease it takes, so an
 * adapter may check for leaked leases in its teardown.
 */
public abstract class BrokerContract {
  protected static final String QUEUE = Task.DEFAULT_QUEUE;
  protected static final String OTHER_QUEUE = "other";
  protected static final int LARGE_CAPACITY = 1_000;
  protected static final int SMALL_CAPACITY = 4;
  protected static final Duration LEASE = Duration.ofSeconds(30);

  /**
   * How long a test waits for another thread; reached only when something is broken, so it is
   * generous.
   */
  protected static final Duration PATIENCE = Duration.ofSeconds(30);

  /**
   * Wait or timeout of a blocking call that the test itself ends (by making room, closing or
   * interrupting).
   */
  protected static final Duration BLOCK = Duration.ofMinutes(2);

  protected final FakeClock clock = FakeClock.at(TaskFixtures.EPOCH);
  protected Broker broker;

  /**
   * A new, empty broker with default {@link TaskLimits} that reads time only from {@code clock} and
   * holds at most {@code capacityPerQueue} waiting (ready + delayed) tasks per queue.
   */
  protected abstract Broker createBroker(InstantSource clock, int capacityPerQueue);

  /**
   * Returns once {@code call} is blocked inside the broker (or done). The default waits for its
   * thread to park, which suits brokers that wait on locks, conditions or sleeps; override for one
   * that blocks some other way.
   */
  protected void awaitBlocked(BackgroundCall<?> call) {
    await().atMost(PATIENCE).until(() -> call.isDone() || call.isParked());
  }

  @BeforeEach
  final void createDefaultBroker() {
    broker = createBroker(clock, LARGE_CAPACITY);
  }

  @AfterEach
  final void closeBroker() {
    broker.close();
  }

  /** Replaces the default broker with an empty one of {@code capacityPerQueue}. */
  protected final void useCapacity(int capacityPerQueue) {
    broker.close();
    broker = createBroker(clock, capacityPerQueue);
  }

  // --- FIFO and queues

  @Test
  void dequeue_severalReady_returnsOldestFirst() throws Exception {
    enqueue("t1", "t2", "t3");

    assertThat(takeAndAckAll(QUEUE)).containsExactly("t1", "t2", "t3");
  }

  @Test
  void dequeue_taskWithPayloadAndHeaders_deliversItUnchanged() throws Exception {
    Task task =
        aTask("t1")
            .payload("héllo")
            .header("trace", "abc")
            .header("tenant", "7")
            .attempt(2)
            .build();
    broker.enqueue(task, Duration.ZERO);

    Lease lease = take(QUEUE);

    assertThat(lease.task()).isEqualTo(task);
    broker.ack(lease);
  }

  @Test
  void dequeue_twoQueues_keepsThemApart() throws Exception {
    enqueue("a1", "a2");
    broker.enqueue(aTask("b1").queue(OTHER_QUEUE).build(), Duration.ZERO);

    assertThat(takeAndAckAll(OTHER_QUEUE)).containsExactly("b1");
    assertThat(takeAndAckAll(QUEUE)).containsExactly("a1", "a2");
  }

  @Test
  void dequeueBatch_moreReadyThanMax_takesOldestMaxWithDistinctLeases() throws Exception {
    enqueue("t1", "t2", "t3", "t4", "t5");

    List<Lease> batch = broker.dequeueBatch(QUEUE, 3, LEASE, Duration.ZERO);

    assertThat(batch).extracting(l -> l.task().id().value()).containsExactly("t1", "t2", "t3");
    assertThat(batch).extracting(Lease::token).doesNotHaveDuplicates();
    assertThat(broker.stats(QUEUE).inFlight()).isEqualTo(3);
    assertThat(broker.stats(QUEUE).ready()).isEqualTo(2);
    assertThat(broker.ackAll(batch)).isEmpty();
    assertThat(takeAndAckAll(QUEUE)).containsExactly("t4", "t5");
  }

  @Test
  void dequeueBatch_fewerReadyThanMax_returnsWhatIsReady() throws Exception {
    enqueue("t1", "t2");

    List<Lease> batch = broker.dequeueBatch(QUEUE, 10, LEASE, Duration.ZERO);

    assertThat(batch).extracting(l -> l.task().id().value()).containsExactly("t1", "t2");
    assertThat(broker.ackAll(batch)).isEmpty();
  }

  @Test
  void dequeueBatch_nothingReadyWithinWait_returnsEmpty() throws Exception {
    assertThat(broker.dequeueBatch(QUEUE, 4, LEASE, Duration.ofMillis(50))).isEmpty();
  }

  @Test
  void dequeueBatch_maxBelowOne_isRejected() {
    assertThatThrownBy(() -> broker.dequeueBatch(QUEUE, 0, LEASE, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
  }

  @Test
  void ackAll_someLeasesLost_acksTheValidOnesAndReturnsTheLost() throws Exception {
    enqueue("t1", "t2", "t3");
    List<Lease> batch = broker.dequeueBatch(QUEUE, 3, LEASE, Duration.ZERO);
    broker.ack(batch.get(1)); // settled already: its lease is no longer valid

    List<Lease> lost = broker.ackAll(batch);

    assertThat(lost).containsExactly(batch.get(1));
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 0, 0, 0));
  }

  @Test
  void ackAll_expiredAndRedelivered_doesNotTouchTheNewOwner() throws Exception {
    enqueue("t1", "t2");
    List<Lease> batch = broker.dequeueBatch(QUEUE, 2, LEASE, Duration.ZERO);
    clock.advance(LEASE.plusSeconds(1));
    broker.reclaimExpiredLeases();
    List<Lease> redelivered = broker.dequeueBatch(QUEUE, 2, LEASE, Duration.ZERO);

    assertThat(broker.ackAll(batch)).containsExactlyElementsOf(batch);

    assertThat(broker.stats(QUEUE).inFlight()).isEqualTo(2);
    assertThat(broker.ackAll(redelivered)).isEmpty();
  }

  /**
   * What a caller does after an ackAll whose outcome was unknown: it calls again, maybe with later
   * successes too.
   */
  @Test
  void ackAll_sameLeasesAgain_reportsThemAckedAgain() throws Exception {
    enqueue("t1", "t2", "t3");
    List<Lease> batch = broker.dequeueBatch(QUEUE, 2, LEASE, Duration.ZERO);
    Lease third = take(QUEUE);
    assertThat(broker.ackAll(batch)).isEmpty();

    assertThat(broker.ackAll(batch)).isEmpty();
    assertThat(broker.ackAll(List.of(batch.get(1), third))).isEmpty();

    assertStats(0, 0, 0);
  }

  @Test
  void ackAll_lostLeaseAgain_reportsItLostAgain() throws Exception {
    enqueue("t1");
    Lease stale = take(QUEUE);
    clock.advance(LEASE.plusSeconds(1));
    broker.reclaimExpiredLeases();
    assertThat(broker.ackAll(List.of(stale))).containsExactly(stale);

    assertThat(broker.ackAll(List.of(stale))).containsExactly(stale);

    assertThat(takeAndAckAll(QUEUE)).containsExactly("t1");
  }

  @Test
  void dequeue_nothingReadyWithinWait_returnsEmpty() throws Exception {
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ofMillis(50))).isEmpty();
  }

  @Test
  void dequeue_taskEnqueuedWhileWaiting_returnsIt() throws Exception {
    BackgroundCall<Optional<Lease>> consumer = startConsumer();
    awaitBlocked(consumer);

    enqueue("t1");

    Lease lease = consumer.result(PATIENCE).orElseThrow();
    assertThat(lease.task().id()).isEqualTo(new TaskId("t1"));
    broker.ack(lease);
  }

  @Test
  void dequeue_lease_expiresLeaseTimeFromBrokerClock() throws Exception {
    enqueue("t1");

    Lease lease = take(QUEUE);

    assertThat(lease.expiresAt()).isEqualTo(clock.instant().plus(LEASE));
    broker.ack(lease);
  }

  // --- capacity and blocking enqueue

  @Test
  void enqueue_queueFullZeroTimeout_throwsQueueFullAndEnqueuesNothing() throws Exception {
    useCapacity(SMALL_CAPACITY);
    enqueue("t1", "t2", "t3", "t4");

    assertThatThrownBy(() -> enqueue("t5")).isInstanceOf(QueueFullException.class);

    assertStats(4, 0, 0);
    assertThat(takeAndAckAll(QUEUE)).containsExactly("t1", "t2", "t3", "t4");
  }

  @Test
  void enqueue_queueStaysFullForTimeout_throwsQueueFull() throws Exception {
    useCapacity(SMALL_CAPACITY);
    enqueue("t1", "t2", "t3", "t4");

    assertThatThrownBy(() -> broker.enqueue(aTask("t5").build(), Duration.ofMillis(50)))
        .isInstanceOf(QueueFullException.class);

    assertStats(4, 0, 0);
  }

  @Test
  void enqueue_queueFull_blocksUntilDequeueFreesRoom() throws Exception {
    useCapacity(SMALL_CAPACITY);
    enqueue("t1", "t2", "t3", "t4");
    BackgroundCall<Void> producer =
        BackgroundCall.run("producer", () -> broker.enqueue(aTask("t5").build(), BLOCK));
    awaitBlocked(producer);
    assertThat(producer.isDone()).as("enqueue returned while the queue was full").isFalse();

    broker.ack(take(QUEUE));

    producer.result(PATIENCE);
    assertThat(takeAndAckAll(QUEUE)).containsExactly("t2", "t3", "t4", "t5");
  }

  @Test
  void enqueue_otherQueueFull_doesNotBlock() throws Exception {
    useCapacity(SMALL_CAPACITY);
    enqueue("t1", "t2", "t3", "t4");

    broker.enqueue(aTask("b1").queue(OTHER_QUEUE).build(), Duration.ZERO);

    assertThat(takeAndAckAll(OTHER_QUEUE)).containsExactly("b1");
  }

  @Test
  void enqueue_interruptedWhileBlocked_throwsInterruptedAndEnqueuesNothing() throws Exception {
    useCapacity(SMALL_CAPACITY);
    enqueue("t1", "t2", "t3", "t4");
    BackgroundCall<Void> producer =
        BackgroundCall.run("producer", () -> broker.enqueue(aTask("t5").build(), BLOCK));
    awaitBlocked(producer);

    producer.interrupt();

    assertThat(producer.failure(PATIENCE)).isInstanceOf(InterruptedException.class);
    assertStats(4, 0, 0);
    assertThat(takeAndAckAll(QUEUE)).containsExactly("t1", "t2", "t3", "t4");
    enqueue("t5"); // the id was never taken
  }

  @Test
  void retryLater_queueFull_exceedsCapacityRatherThanFail() throws Exception {
    useCapacity(SMALL_CAPACITY);
    enqueue("t1", "t2", "t3", "t4");
    Lease lease = take(QUEUE);
    enqueue("t5");

    broker.retryLater(lease, Duration.ZERO);

    assertStats(5, 0, 0);
  }

  // --- dequeue waits and interrupts

  @Test
  void dequeue_delayedTaskFallsDueWhileWaiting_returnsIt() throws Exception {
    broker.enqueueAt(aTask("t1").build(), clock.instant().plusSeconds(5), Duration.ZERO);
    BackgroundCall<Optional<Lease>> consumer = startConsumer();
    awaitBlocked(consumer);

    clock.advance(Duration.ofSeconds(5));

    Lease lease = consumer.result(PATIENCE).orElseThrow();
    assertThat(lease.task().id()).isEqualTo(new TaskId("t1"));
    broker.ack(lease);
  }

  @Test
  void dequeue_interruptedWhileBlocked_throwsInterruptedAndTakesNothing() throws Exception {
    broker.enqueueAt(aTask("t1").build(), clock.instant().plusSeconds(60), Duration.ZERO);
    BackgroundCall<Optional<Lease>> consumer = startConsumer();
    awaitBlocked(consumer);

    consumer.interrupt();

    assertThat(consumer.failure(PATIENCE)).isInstanceOf(InterruptedException.class);
    assertStats(0, 0, 1);
  }

  // --- close

  @Test
  void enqueue_afterClose_throwsBrokerClosed() {
    broker.close();

    assertThatThrownBy(() -> enqueue("t1")).isInstanceOf(BrokerClosedException.class);
    assertThatThrownBy(
            () ->
                broker.enqueueAt(
                    aTask("t2").build(), clock.instant().plusSeconds(1), Duration.ZERO))
        .isInstanceOf(BrokerClosedException.class);
    assertThatThrownBy(() -> broker.enqueueAll(List.of(aTask("t3").build()), Duration.ZERO))
        .isInstanceOf(BrokerClosedException.class);
  }

  @Test
  void dequeue_afterClose_drainsReadyThenThrowsBrokerClosed() throws Exception {
    enqueue("t1", "t2");

    broker.close();

    Lease first = take(QUEUE);
    Lease second = take(QUEUE);
    assertThatThrownBy(() -> broker.dequeue(QUEUE, LEASE, BLOCK))
        .isInstanceOf(BrokerClosedException.class);
    assertThat(List.of(first.task().id().value(), second.task().id().value()))
        .containsExactly("t1", "t2");
    broker.ack(first);
    broker.ack(second);
  }

  @Test
  void dequeue_blockedWhenClosed_wakesWithBrokerClosed() throws Exception {
    BackgroundCall<Optional<Lease>> consumer = startConsumer();
    awaitBlocked(consumer);

    broker.close();

    assertThat(consumer.failure(PATIENCE)).isInstanceOf(BrokerClosedException.class);
  }

  @Test
  void enqueue_blockedWhenClosed_wakesWithBrokerClosed() throws Exception {
    useCapacity(SMALL_CAPACITY);
    enqueue("t1", "t2", "t3", "t4");
    BackgroundCall<Void> producer =
        BackgroundCall.run("producer", () -> broker.enqueue(aTask("t5").build(), BLOCK));
    awaitBlocked(producer);

    broker.close();

    assertThat(producer.failure(PATIENCE)).isInstanceOf(BrokerClosedException.class);
    assertStats(4, 0, 0);
  }

  @Test
  void settle_afterClose_stillWorks() throws Exception {
    enqueue("t1", "t2", "t3");
    Lease first = take(QUEUE);
    Lease second = take(QUEUE);
    Lease third = take(QUEUE);

    broker.close();

    broker.ack(first);
    broker.deadLetter(broker.extend(second, LEASE), failure(second));
    broker.release(third, Duration.ZERO);
    assertStats(1, 0, 0);
  }

  @Test
  void close_calledTwice_isIdempotent() {
    broker.close();

    broker.close();

    assertThatThrownBy(() -> enqueue("t1")).isInstanceOf(BrokerClosedException.class);
  }

  // --- leases

  @Test
  void reclaimExpiredLeases_leaseExpired_redeliversSameAttempt() throws Exception {
    enqueue("t1");
    Lease first = take(QUEUE);

    clock.advance(LEASE.plusSeconds(1));

    assertThat(broker.reclaimExpiredLeases()).isEqualTo(1);
    Lease second = take(QUEUE);
    assertThat(second.task()).isEqualTo(first.task());
    assertThat(second.token()).isNotEqualTo(first.token());
    broker.ack(second);
  }

  @Test
  void reclaimExpiredLeases_leaseStillValid_reclaimsNothing() throws Exception {
    enqueue("t1");
    Lease lease = take(QUEUE);

    clock.advance(LEASE.minusSeconds(1));

    assertThat(broker.reclaimExpiredLeases()).isZero();
    assertStats(0, 1, 0);
    broker.ack(lease);
  }

  @Test
  void reclaimExpiredLeases_reclaimedTask_goesToTail() throws Exception {
    enqueue("t1");
    Lease lease = take(QUEUE);
    enqueue("t2");

    clock.advance(LEASE.plusSeconds(1));
    broker.reclaimExpiredLeases();

    assertThat(takeAndAckAll(QUEUE)).containsExactly("t2", "t1");
    assertThatThrownBy(() -> broker.ack(lease)).isInstanceOf(LeaseLostException.class);
  }

  @Test
  void reclaimExpiredLeases_someExpired_returnsExactCount() throws Exception {
    enqueue("s1", "s2", "s3", "l1", "l2");
    List<Lease> shortLeases = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      shortLeases.add(broker.dequeue(QUEUE, Duration.ofSeconds(10), Duration.ZERO).orElseThrow());
    }
    List<Lease> longLeases = List.of(take(QUEUE), take(QUEUE));

    clock.advance(Duration.ofSeconds(20));

    assertThat(broker.reclaimExpiredLeases()).isEqualTo(3);
    assertThat(broker.reclaimExpiredLeases()).isZero();
    assertStats(3, 2, 0);
    assertThat(takeAndAckAll(QUEUE)).containsExactly("s1", "s2", "s3");
    longLeases.forEach(broker::ack);
  }

  @Test
  void reclaimExpiredLeases_concurrentReclaimers_reclaimEachExpiredTaskOnce() throws Exception {
    int tasks = 200;
    int reclaimers = 4;
    enqueue(IntStream.range(0, tasks).mapToObj(i -> "t" + i).toArray(String[]::new));
    for (int i = 0; i < tasks; i++) {
      take(QUEUE);
    }
    clock.advance(LEASE.plusSeconds(1));
    CountDownLatch start = new CountDownLatch(1);
    List<BackgroundCall<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < reclaimers; i++) {
      calls.add(
          BackgroundCall.call(
              "reclaimer-" + i,
              () -> {
                start.await();
                return broker.reclaimExpiredLeases();
              }));
    }

    start.countDown();

    int total = calls.stream().mapToInt(call -> call.result(PATIENCE)).sum();
    assertThat(total).isEqualTo(tasks);
    Map<String, Integer> deliveries = new ConcurrentHashMap<>();
    takeAndAckAll(QUEUE).forEach(id -> deliveries.merge(id, 1, Integer::sum));
    assertThat(deliveries).hasSize(tasks).allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
  }

  @Test
  void extend_beforeExpiry_keepsTaskFromBeingReclaimed() throws Exception {
    enqueue("t1");
    Lease lease = take(QUEUE);
    clock.advance(LEASE.minusSeconds(10));

    Lease extended = broker.extend(lease, LEASE);
    clock.advance(LEASE.minusSeconds(10));

    assertThat(extended.expiresAt())
        .isEqualTo(TaskFixtures.EPOCH.plus(LEASE.minusSeconds(10)).plus(LEASE));
    assertThat(broker.reclaimExpiredLeases()).isZero();
    broker.ack(extended);
    assertStats(0, 0, 0);
  }

  @Test
  void extendAll_validLeasesOfTwoQueues_extendsEachFromBrokerClockInOrder() throws Exception {
    broker.enqueue(aTask("a1").build(), Duration.ZERO);
    broker.enqueue(aTask("b1").queue(OTHER_QUEUE).build(), Duration.ZERO);
    broker.enqueue(aTask("a2").build(), Duration.ZERO);
    List<Lease> leases = List.of(take(QUEUE), take(OTHER_QUEUE), take(QUEUE));
    clock.advance(LEASE.minusSeconds(10));

    List<Optional<Lease>> extended = broker.extendAll(leases, LEASE);
    clock.advance(LEASE.minusSeconds(10));

    Instant expiry = TaskFixtures.EPOCH.plus(LEASE.minusSeconds(10)).plus(LEASE);
    assertThat(extended).hasSize(3).allSatisfy(l -> assertThat(l).isPresent());
    for (int i = 0; i < 3; i++) {
      Lease lease = extended.get(i).orElseThrow();
      assertThat(lease.task().id()).isEqualTo(leases.get(i).task().id());
      assertThat(lease.token()).isEqualTo(leases.get(i).token());
      assertThat(lease.expiresAt()).isEqualTo(expiry);
    }
    assertThat(broker.reclaimExpiredLeases()).isZero();
    assertThat(broker.ackAll(extended.stream().map(Optional::orElseThrow).toList())).isEmpty();
    assertStats(0, 0, 0);
  }

  @Test
  void extendAll_validLostAndForeignMixed_extendsOnlyTheValidOnes() throws Exception {
    enqueue("stale", "valid", "acked", "foreign");
    Lease stale = take(QUEUE);
    clock.advance(LEASE.plusSeconds(1));
    broker.reclaimExpiredLeases();
    List<Lease> batch = broker.dequeueBatch(QUEUE, 4, LEASE, Duration.ZERO);
    assertThat(batch)
        .extracting(l -> l.task().id().value())
        .containsExactly("valid", "acked", "foreign", "stale");
    Lease valid = batch.get(0);
    Lease foreign = batch.get(2);
    broker.ack(batch.get(1));
    clock.advance(Duration.ofSeconds(5));

    List<Optional<Lease>> extended =
        broker.extendAll(
            List.of(
                stale,
                valid,
                batch.get(1),
                new Lease(foreign.task(), foreign.token() + 1_000_003, foreign.expiresAt())),
            LEASE);

    assertThat(extended.get(0)).as("lease reclaimed and handed out again").isEmpty();
    assertThat(extended.get(1))
        .as("valid lease")
        .map(Lease::expiresAt)
        .contains(clock.instant().plus(LEASE));
    assertThat(extended.get(2)).as("lease acked already").isEmpty();
    assertThat(extended.get(3)).as("foreign token").isEmpty();
    clock.advance(LEASE.minusSeconds(1));
    assertThat(broker.reclaimExpiredLeases())
        .as("the current owners' leases kept their expiry")
        .isEqualTo(2);
    assertThat(broker.ackAll(List.of(extended.get(1).orElseThrow()))).isEmpty();
    assertThat(takeAndAckAll(QUEUE)).containsExactlyInAnyOrder("foreign", "stale");
    assertStats(0, 0, 0);
  }

  @Test
  void extendAll_leaseExpiredNotYetReclaimed_returnsEmptyAndLeavesTaskForReclaim()
      throws Exception {
    enqueue("t1");
    Lease lease = take(QUEUE);
    clock.advance(LEASE.plusSeconds(1));

    assertThat(broker.extendAll(List.of(lease), LEASE)).containsExactly(Optional.empty());

    assertThat(broker.reclaimExpiredLeases()).isEqualTo(1);
    assertThat(takeAndAckAll(QUEUE)).containsExactly("t1");
  }

  @Test
  void extendAll_noLeases_returnsEmpty() {
    assertThat(broker.extendAll(List.of(), LEASE)).isEmpty();
  }

  @Test
  void ack_leaseNeverIssued_throwsLeaseLost() throws Exception {
    enqueue("t1");
    Lease forged = new Lease(aTask("t1").build(), 42, clock.instant().plus(LEASE));

    assertThatThrownBy(() -> broker.ack(forged)).isInstanceOf(LeaseLostException.class);

    assertStats(1, 0, 0);
  }

  /** Every way of settling a lease, so each is checked against every kind of invalid lease. */
  protected enum Settle {
    ACK,
    EXTEND,
    RETRY_LATER,
    RELEASE,
    DEAD_LETTER;

    void apply(Broker broker, Lease lease, Instant now) {
      switch (this) {
        case ACK -> broker.ack(lease);
        case EXTEND -> broker.extend(lease, LEASE);
        case RETRY_LATER -> broker.retryLater(lease, Duration.ZERO);
        case RELEASE -> broker.release(lease, Duration.ZERO);
        case DEAD_LETTER -> broker.deadLetter(lease, failure(lease, now));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Settle.class)
  void settle_leaseExpired_throwsLeaseLostAndLeavesTaskForReclaim(Settle settle) throws Exception {
    enqueue("t1");
    Lease lease = take(QUEUE);
    clock.advance(LEASE.plusSeconds(1));

    assertThatThrownBy(() -> settle.apply(broker, lease, clock.instant()))
        .isInstanceOf(LeaseLostException.class);

    assertStats(0, 1, 0);
    assertThat(broker.reclaimExpiredLeases()).isEqualTo(1);
    assertThat(takeAndAckAll(QUEUE)).containsExactly("t1");
  }

  @ParameterizedTest
  @EnumSource(Settle.class)
  void settle_leaseReclaimed_throwsLeaseLostAndNewOwnerCanAck(Settle settle) throws Exception {
    enqueue("t1");
    Lease stale = take(QUEUE);
    clock.advance(LEASE.plusSeconds(1));
    broker.reclaimExpiredLeases();
    Lease current = take(QUEUE);

    assertThatThrownBy(() -> settle.apply(broker, stale, clock.instant()))
        .isInstanceOf(LeaseLostException.class);

    assertStats(0, 1, 0);
    broker.ack(current);
    assertStats(0, 0, 0);
  }

  @ParameterizedTest
  @EnumSource(Settle.class)
  void settle_leaseSettledAlready_throwsLeaseLost(Settle settle) throws Exception {
    enqueue("t1");
    Lease lease = take(QUEUE);
    broker.ack(lease);

    assertThatThrownBy(() -> settle.apply(broker, lease, clock.instant()))
        .isInstanceOf(LeaseLostException.class);

    assertStats(0, 0, 0);
  }

  @ParameterizedTest
  @EnumSource(Settle.class)
  void settle_foreignToken_throwsLeaseLostAndOwnerCanAck(Settle settle) throws Exception {
    enqueue("t1");
    Lease lease = take(QUEUE);
    Lease foreign = new Lease(lease.task(), lease.token() + 1_000_003, lease.expiresAt());

    assertThatThrownBy(() -> settle.apply(broker, foreign, clock.instant()))
        .isInstanceOf(LeaseLostException.class);

    assertStats(0, 1, 0);
    broker.ack(lease);
  }

  // --- retry, release, delayed tasks

  @Test
  void retryLater_notBeforeInFuture_deliversNextAttemptOnlyOnceDue() throws Exception {
    enqueue("t1");
    Lease lease = take(QUEUE);

    broker.retryLater(lease, Duration.ofSeconds(10));

    assertStats(0, 0, 1);
    clock.advance(Duration.ofSeconds(9));
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    Lease retry = take(QUEUE);
    assertThat(retry.task()).isEqualTo(lease.task().withAttempt(2));
    broker.ack(retry);
  }

  @Test
  void retryLater_severalTasks_deliversInDueOrder() throws Exception {
    enqueue("t1", "t2", "t3");
    Instant now = clock.instant();
    broker.retryLater(take(QUEUE), Duration.ofSeconds(20));
    broker.retryLater(take(QUEUE), Duration.ofSeconds(10));
    broker.retryLater(take(QUEUE), Duration.ofSeconds(15));

    clock.advance(Duration.ofSeconds(30));

    assertThat(takeAndAckAll(QUEUE)).containsExactly("t2", "t3", "t1");
  }

  @Test
  void retryLater_notBeforeNow_goesToTail() throws Exception {
    enqueue("t1", "t2");
    Lease lease = take(QUEUE);

    broker.retryLater(lease, Duration.ZERO);

    assertStats(2, 0, 0);
    Lease t2 = take(QUEUE);
    Lease t1 = take(QUEUE);
    assertThat(List.of(t2.task().id().value(), t1.task().id().value())).containsExactly("t2", "t1");
    assertThat(t1.task().attempt()).isEqualTo(2);
    broker.ack(t2);
    broker.ack(t1);
  }

  @Test
  void release_notBeforeNow_putsTaskAtHeadWithSameAttempt() throws Exception {
    enqueue("t1", "t2");
    Lease lease = take(QUEUE);

    broker.release(lease, Duration.ZERO);

    Lease again = take(QUEUE);
    assertThat(again.task()).isEqualTo(lease.task());
    broker.ack(again);
    assertThat(takeAndAckAll(QUEUE)).containsExactly("t2");
  }

  @Test
  void release_notBeforeInFuture_delaysTaskWithSameAttempt() throws Exception {
    enqueue("t1");
    Lease lease = take(QUEUE);

    broker.release(lease, Duration.ofSeconds(5));

    assertStats(0, 0, 1);
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    clock.advance(Duration.ofSeconds(5));
    Lease again = take(QUEUE);
    assertThat(again.task().attempt()).isEqualTo(1);
    broker.ack(again);
  }

  @Test
  void enqueueAt_future_readyOnlyOnceDue() throws Exception {
    broker.enqueueAt(aTask("t1").build(), clock.instant().plusSeconds(60), Duration.ZERO);

    assertStats(0, 0, 1);
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    clock.advance(Duration.ofSeconds(60));
    assertStats(1, 0, 0);
    assertThat(takeAndAckAll(QUEUE)).containsExactly("t1");
  }

  @Test
  void enqueueAt_pastOrNow_readyAtOnce() throws Exception {
    broker.enqueueAt(aTask("t1").build(), clock.instant().minusSeconds(60), Duration.ZERO);
    broker.enqueueAt(aTask("t2").build(), clock.instant(), Duration.ZERO);

    assertThat(takeAndAckAll(QUEUE)).containsExactly("t1", "t2");
  }

  @Test
  void enqueueAt_delayedTasks_countAgainstCapacity() throws Exception {
    useCapacity(SMALL_CAPACITY);
    for (String id : List.of("t1", "t2", "t3", "t4")) {
      broker.enqueueAt(aTask(id).build(), clock.instant().plusSeconds(60), Duration.ZERO);
    }

    assertThatThrownBy(() -> enqueue("t5")).isInstanceOf(QueueFullException.class);
  }

  @Test
  void enqueueIn_delay_readyOnlyOnceDelayPassedOnBrokerClock() throws Exception {
    broker.enqueueIn(aTask("t1").build(), Duration.ofSeconds(5), Duration.ZERO);

    assertStats(0, 0, 1);
    clock.advance(Duration.ofMillis(4_999));
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(takeAndAckAll(QUEUE)).containsExactly("t1");
  }

  @Test
  void enqueueIn_zeroDelay_readyAtOnce() throws Exception {
    broker.enqueueIn(aTask("t1").build(), Duration.ZERO, Duration.ZERO);

    assertThat(takeAndAckAll(QUEUE)).containsExactly("t1");
  }

  @Test
  void enqueueIn_negativeDelay_isRejectedAndEnqueuesNothing() {
    assertThatThrownBy(
            () -> broker.enqueueIn(aTask("t1").build(), Duration.ofSeconds(-1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("delay");
    assertStats(0, 0, 0);
  }

  @Test
  void enqueueIn_delayedTasks_countAgainstCapacity() throws Exception {
    useCapacity(SMALL_CAPACITY);
    for (String id : List.of("t1", "t2", "t3", "t4")) {
      broker.enqueueIn(aTask(id).build(), Duration.ofMinutes(1), Duration.ZERO);
    }

    assertThatThrownBy(
            () -> broker.enqueueIn(aTask("t5").build(), Duration.ofMinutes(1), Duration.ZERO))
        .isInstanceOf(QueueFullException.class);
  }

  // --- batches

  @Test
  void enqueueAll_validBatch_enqueuesAllInOrder() throws Exception {
    broker.enqueueAll(tasks("t1", "t2", "t3"), Duration.ZERO);

    assertThat(takeAndAckAll(QUEUE)).containsExactly("t1", "t2", "t3");
  }

  @Test
  void enqueueAll_invalidTaskInMiddle_throwsInvalidTaskAndEnqueuesNothing() {
    List<Task> batch = List.of(aTask("t1").build(), oversized("t2"), aTask("t3").build());

    assertThatThrownBy(() -> broker.enqueueAll(batch, Duration.ZERO))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("t2");

    assertStats(0, 0, 0);
  }

  @Test
  void enqueueAll_mixedQueues_throwsIllegalArgumentAndEnqueuesNothing() {
    List<Task> batch = List.of(aTask("t1").build(), aTask("t2").queue(OTHER_QUEUE).build());

    assertThatThrownBy(() -> broker.enqueueAll(batch, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);

    assertStats(0, 0, 0);
    assertThat(broker.stats(OTHER_QUEUE)).isEqualTo(new QueueStats(OTHER_QUEUE, 0, 0, 0));
  }

  @Test
  void enqueueAll_idRepeatedInBatch_throwsDuplicateAndEnqueuesNothing() {
    assertThatThrownBy(() -> broker.enqueueAll(tasks("t1", "t2", "t1"), Duration.ZERO))
        .isInstanceOf(DuplicateTaskException.class);

    assertStats(0, 0, 0);
  }

  @Test
  void enqueueAll_idAlreadyHeld_throwsDuplicateAndEnqueuesNothing() throws Exception {
    enqueue("t2");

    assertThatThrownBy(() -> broker.enqueueAll(tasks("t1", "t2", "t3"), Duration.ZERO))
        .isInstanceOf(DuplicateTaskException.class);

    assertStats(1, 0, 0);
  }

  @Test
  void enqueueAll_largerThanCapacity_throwsIllegalArgument() {
    useCapacity(SMALL_CAPACITY);

    assertThatThrownBy(() -> broker.enqueueAll(tasks("t1", "t2", "t3", "t4", "t5"), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);

    assertStats(0, 0, 0);
  }

  @Test
  void enqueueAll_notEnoughRoom_throwsQueueFullAndEnqueuesNothing() throws Exception {
    useCapacity(SMALL_CAPACITY);
    enqueue("t1", "t2", "t3");

    assertThatThrownBy(() -> broker.enqueueAll(tasks("t4", "t5"), Duration.ZERO))
        .isInstanceOf(QueueFullException.class);

    assertStats(3, 0, 0);
  }

  // --- duplicates and limits

  @Test
  void enqueue_idReady_throwsDuplicate() throws Exception {
    enqueue("t1");

    assertThatThrownBy(() -> enqueue("t1")).isInstanceOf(DuplicateTaskException.class);

    assertStats(1, 0, 0);
  }

  @Test
  void enqueue_idDelayed_throwsDuplicate() throws Exception {
    broker.enqueueAt(aTask("t1").build(), clock.instant().plusSeconds(60), Duration.ZERO);

    assertThatThrownBy(() -> enqueue("t1")).isInstanceOf(DuplicateTaskException.class);

    assertStats(0, 0, 1);
  }

  @Test
  void enqueue_idInFlight_throwsDuplicate() throws Exception {
    enqueue("t1");
    Lease lease = take(QUEUE);

    assertThatThrownBy(() -> enqueue("t1")).isInstanceOf(DuplicateTaskException.class);

    assertStats(0, 1, 0);
    broker.ack(lease);
  }

  @Test
  void enqueue_idDeadLettered_throwsDuplicate() throws Exception {
    enqueue("t1");
    Lease lease = take(QUEUE);
    broker.deadLetter(lease, failure(lease));

    assertThatThrownBy(() -> enqueue("t1")).isInstanceOf(DuplicateTaskException.class);

    assertStats(0, 0, 0);
  }

  @Test
  void enqueue_idAcked_acceptsItAgain() throws Exception {
    enqueue("t1");
    broker.ack(take(QUEUE));

    enqueue("t1");

    assertStats(1, 0, 0);
  }

  @Test
  void enqueue_payloadOverLimit_throwsInvalidTaskNamingTask() {
    assertThatThrownBy(() -> broker.enqueue(oversized("big-1"), Duration.ZERO))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("big-1");

    assertStats(0, 0, 0);
  }

  @Test
  void enqueue_tooManyHeaders_throwsInvalidTaskNamingTask() {
    Task.Builder builder = aTask("hdr-1").limits(new TaskLimits(1024, 1000, 1024));
    for (int i = 0; i <= TaskLimits.DEFAULT.maxHeaders(); i++) {
      builder.header("h" + i, "v");
    }
    Task task = builder.build();

    assertThatThrownBy(() -> broker.enqueue(task, Duration.ZERO))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("hdr-1");
  }

  // --- stats

  @Test
  void stats_tasksInEachState_countsEach() throws Exception {
    enqueue("t1", "t2", "t3");
    broker.enqueueAt(aTask("t4").build(), clock.instant().plusSeconds(60), Duration.ZERO);
    Lease lease = take(QUEUE);

    assertStats(2, 1, 1);
    broker.ack(lease);
  }

  @Test
  void stats_unknownQueue_allZeros() {
    assertThat(broker.stats("never-used")).isEqualTo(new QueueStats("never-used", 0, 0, 0));
  }

  // --- helpers

  /**
   * Enqueues fixture tasks with these ids on {@link #QUEUE}, failing at once if the queue is full.
   */
  protected final void enqueue(String... ids) throws InterruptedException {
    for (String id : ids) {
      broker.enqueue(aTask(id).build(), Duration.ZERO);
    }
  }

  /** Starts a dequeue on {@link #QUEUE} in another thread that waits up to {@link #BLOCK}. */
  protected final BackgroundCall<Optional<Lease>> startConsumer() {
    return BackgroundCall.call("consumer", () -> broker.dequeue(QUEUE, LEASE, BLOCK));
  }

  /** Dequeues a task that must be ready now. */
  protected final Lease take(String queue) throws InterruptedException {
    return Takes.take(broker, queue, LEASE);
  }

  /** Dequeues and acks every task ready now, returning their ids in delivery order. */
  protected final List<String> takeAndAckAll(String queue) throws InterruptedException {
    return Takes.takeAndAckAll(broker, queue, LEASE);
  }

  protected final void assertStats(long ready, long inFlight, long delayed) {
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, ready, inFlight, delayed));
  }

  protected final Failure failure(Lease lease) {
    return failure(lease, clock.instant());
  }

  private static Failure failure(Lease lease, Instant now) {
    return new Failure("java.lang.IllegalStateException", "boom", lease.task().attempt(), now);
  }

  private static List<Task> tasks(String... ids) {
    return java.util.Arrays.stream(ids).map(id -> aTask(id).build()).toList();
  }

  /** A task one byte over the default payload limit, built past the builder's own check. */
  protected static Task oversized(String id) {
    int limit = TaskLimits.DEFAULT.maxPayloadBytes();
    return aTask(id)
        .limits(TaskLimits.DEFAULT.withMaxPayloadBytes(limit + 1))
        .payload(new byte[limit + 1])
        .build();
  }
}
