package dev.dq.testing;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.Broker;
import dev.dq.core.port.Lease;
import dev.dq.core.port.QueuePause;
import dev.dq.core.port.QueuePauses;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every broker that offers {@link QueuePauses} must do. An adapter's test extends it and
 * supplies {@link #createBroker}; time comes only from {@link #clock}. Every test settles every
 * lease it takes.
 */
public abstract class QueuePausesContract {
  protected static final String QUEUE = Task.DEFAULT_QUEUE;
  protected static final String OTHER_QUEUE = "other";
  protected static final Duration LEASE = Duration.ofSeconds(30);
  protected static final Duration PATIENCE = Duration.ofSeconds(30);
  protected static final Duration BLOCK = Duration.ofMinutes(2);

  protected final FakeClock clock = FakeClock.at(TaskFixtures.EPOCH);
  protected Broker broker;
  protected QueuePauses pauses;

  /** A new, empty broker that offers {@link QueuePauses} and reads time only from {@code clock}. */
  protected abstract Broker createBroker(InstantSource clock);

  /** Returns once {@code call} is blocked inside the broker (or done); see BrokerContract. */
  protected void awaitBlocked(BackgroundCall<?> call) {
    await().atMost(PATIENCE).until(() -> call.isDone() || call.isParked());
  }

  @BeforeEach
  final void createDefaultBroker() {
    broker = createBroker(clock);
    pauses = (QueuePauses) broker;
  }

  @AfterEach
  final void closeBroker() {
    broker.close();
  }

  @Test
  void pause_acceptsEnqueues_handsOutNothing_countsUnchanged() throws Exception {
    enqueue(QUEUE, "t1");
    pauses.pause(QUEUE, "ops@host", "db migration", Optional.empty());

    enqueue(QUEUE, "t2");

    assertThat(broker.dequeueBatch(QUEUE, 10, LEASE, Duration.ZERO)).isEmpty();
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 2, 0, 0));
  }

  @Test
  void pause_otherQueue_unaffected() throws Exception {
    enqueue(OTHER_QUEUE, "o1");
    pauses.pause(QUEUE, "ops", "", Optional.empty());

    assertThat(takeAndAck(OTHER_QUEUE)).contains("o1");
  }

  @Test
  void resume_handsOutInOrder_sameAttempt() throws Exception {
    enqueue(QUEUE, "t1", "t2");
    pauses.pause(QUEUE, "ops", "", Optional.empty());
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();

    assertThat(pauses.resume(QUEUE)).isTrue();

    List<Lease> leases = broker.dequeueBatch(QUEUE, 10, LEASE, Duration.ZERO);
    assertThat(leases).extracting(l -> l.task().id().value()).containsExactly("t1", "t2");
    assertThat(leases).allSatisfy(l -> assertThat(l.task().attempt()).isEqualTo(1));
    assertThat(broker.ackAll(leases)).isEmpty();
  }

  @Test
  void pauseOf_givesByReasonAndBrokerTime_listedInPauses() {
    QueuePause p = pauses.pause(QUEUE, "ops@host", "db migration", Optional.empty());

    QueuePause expected =
        new QueuePause(QUEUE, "ops@host", "db migration", clock.instant(), Optional.empty());
    assertThat(p).isEqualTo(expected);
    assertThat(pauses.pauseOf(QUEUE)).contains(expected);
    assertThat(pauses.pauseOf(OTHER_QUEUE)).isEmpty();
    assertThat(pauses.pauses()).containsExactly(expected);
  }

  @Test
  void resume_notPaused_returnsFalse() {
    assertThat(pauses.resume(QUEUE)).isFalse();
    pauses.pause(QUEUE, "ops", "", Optional.empty());
    assertThat(pauses.resume(QUEUE)).isTrue();
    assertThat(pauses.resume(QUEUE)).isFalse();
    assertThat(pauses.pauseOf(QUEUE)).isEmpty();
    assertThat(pauses.pauses()).isEmpty();
  }

  @Test
  void pause_again_replacesThePause() {
    pauses.pause(QUEUE, "a", "first", Optional.of(Duration.ofMinutes(5)));
    clock.advance(Duration.ofSeconds(1));

    QueuePause second = pauses.pause(QUEUE, "b", "second", Optional.empty());

    assertThat(second.by()).isEqualTo("b");
    assertThat(pauses.pauseOf(QUEUE)).contains(second);
    clock.advance(Duration.ofMinutes(10));
    assertThat(pauses.pauseOf(QUEUE)).contains(second);
  }

  @Test
  void pause_withDuration_endsByItselfOnBrokerClock() throws Exception {
    enqueue(QUEUE, "t1");
    QueuePause p = pauses.pause(QUEUE, "ops", "", Optional.of(Duration.ofSeconds(30)));
    assertThat(p.until()).contains(clock.instant().plusSeconds(30));

    clock.advance(Duration.ofSeconds(29));
    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    assertThat(pauses.pauseOf(QUEUE)).isPresent();

    clock.advance(Duration.ofSeconds(1));
    assertThat(pauses.pauseOf(QUEUE)).isEmpty();
    assertThat(takeAndAck(QUEUE)).contains("t1");
  }

  @Test
  void pause_delayedTaskFallsDue_notHandedOut() throws Exception {
    broker.enqueueIn(aTask("d1").build(), Duration.ofSeconds(5), Duration.ZERO);
    pauses.pause(QUEUE, "ops", "", Optional.empty());

    clock.advance(Duration.ofSeconds(10));

    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    pauses.resume(QUEUE);
    assertThat(takeAndAck(QUEUE)).contains("d1");
  }

  @Test
  void pause_leaseTakenBefore_canBeExtendedAndAcked() throws Exception {
    enqueue(QUEUE, "t1");
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    pauses.pause(QUEUE, "ops", "", Optional.empty());

    Lease extended = broker.extend(lease, LEASE);
    broker.ack(extended);

    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 0, 0, 0));
  }

  @Test
  void pause_releasedTask_waitsWithItsAttempt() throws Exception {
    broker.enqueue(aTask("t1").attempt(2).build(), Duration.ZERO);
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    pauses.pause(QUEUE, "ops", "", Optional.empty());

    broker.release(lease, Duration.ZERO);

    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    pauses.resume(QUEUE);
    Lease again = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    assertThat(again.task().attempt()).isEqualTo(2);
    broker.ack(again);
  }

  @Test
  void pause_reclaimedLease_backToReadyNotHandedOut() throws Exception {
    enqueue(QUEUE, "t1");
    broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow(); // its worker dies
    pauses.pause(QUEUE, "ops", "", Optional.empty());
    clock.advance(LEASE.plusSeconds(1));

    assertThat(broker.reclaimExpiredLeases()).isEqualTo(1);

    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 1, 0, 0));
    pauses.resume(QUEUE);
    Lease again = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    assertThat(again.task().attempt()).isEqualTo(1);
    broker.ack(again);
  }

  @Test
  void resume_wakesWaitingDequeue() throws Exception {
    pauses.pause(QUEUE, "ops", "", Optional.empty());
    enqueue(QUEUE, "t1");
    BackgroundCall<Optional<Lease>> consumer =
        BackgroundCall.call("consumer", () -> broker.dequeue(QUEUE, LEASE, BLOCK));
    awaitBlocked(consumer);
    assertThat(consumer.isDone()).isFalse();

    pauses.resume(QUEUE);

    Lease lease = consumer.result(PATIENCE).orElseThrow();
    assertThat(lease.task().id().value()).isEqualTo("t1");
    broker.ack(lease);
  }

  @Test
  void pause_ownPause_toldToListener() {
    List<String> told = new CopyOnWriteArrayList<>();
    pauses.addPauseListener(told::add);

    pauses.pause(QUEUE, "ops", "", Optional.empty());

    assertThat(told).contains(QUEUE);
  }

  @Test
  void pause_badDurationOrQueue_rejectedNamingTheValue() {
    assertThatThrownBy(() -> pauses.pause(QUEUE, "ops", "", Optional.of(Duration.ZERO)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> pauses.pause(QUEUE, "ops", "", Optional.of(Duration.ofSeconds(-1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> pauses.pause("bad queue!", "ops", "", Optional.empty()))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("bad queue!");
    assertThat(pauses.pauses()).isEmpty();
  }

  private void enqueue(String queue, String... ids) throws InterruptedException {
    for (String id : ids) {
      broker.enqueue(aTask(id).queue(queue).build(), Duration.ZERO);
    }
  }

  private Optional<String> takeAndAck(String queue) throws InterruptedException {
    Optional<Lease> lease = broker.dequeue(queue, LEASE, Duration.ZERO);
    lease.ifPresent(broker::ack);
    return lease.map(l -> l.task().id().value());
  }
}
