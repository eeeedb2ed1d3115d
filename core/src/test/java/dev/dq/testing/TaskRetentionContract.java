package dev.dq.testing;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.Retention;
import dev.dq.core.lifecycle.TaskCancels;
import dev.dq.core.lifecycle.TaskRetention;
import dev.dq.core.lifecycle.Trimmed;
import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.lifecycle.UniqueTasks;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every broker that offers {@link TaskRetention} must do. An adapter's test extends it and
 * supplies {@link #create}, a way to write finished records as its ack does ({@link
 * #recordFinished}) and a look at what is left of a task ({@link #leftOf}); time comes only from
 * {@link #clock}.
 */
public abstract class TaskRetentionContract {
  protected static final String QUEUE = Task.DEFAULT_QUEUE;
  protected static final String OTHER_QUEUE = "other";
  protected static final Duration LEASE = Duration.ofSeconds(30);

  protected final FakeClock clock = FakeClock.at(TaskFixtures.EPOCH);
  protected Broker broker;
  protected DeadLetterQueue deadLetters;
  protected TaskRetention retention;

  /**
   * A new, empty broker that offers {@link TaskRetention} and {@link UniqueTasks}, time only from
   * {@code clock}, and its dead-letter queue.
   */
  protected abstract BrokerAndDeadLetters create(InstantSource clock);

  /**
   * Stores the record of a task of {@code queue} that succeeded at {@code finishedAt}, as the
   * broker's ack does (the task itself is no longer held).
   */
  protected abstract void recordFinished(String queue, String id, Instant finishedAt);

  /**
   * A description of each place the broker still keeps something of task {@code id} of {@code
   * queue} (its data, record, dead entry, unique key, ...); empty if nothing.
   */
  protected abstract List<String> leftOf(String queue, String id);

  @BeforeEach
  final void createDefault() {
    BrokerAndDeadLetters pair = create(clock);
    broker = pair.broker();
    deadLetters = pair.deadLetters();
    retention = (TaskRetention) broker;
  }

  @AfterEach
  final void closeBroker() {
    broker.close();
  }

  @Test
  void retentionOf_default_thenPerQueue() {
    assertThat(retention.retentionOf(QUEUE)).isEqualTo(Retention.DEFAULT);
    Retention mine = new Retention(Duration.ofHours(1), 10, Duration.ofDays(2), 20);

    retention.setRetention(QUEUE, mine);

    assertThat(retention.retentionOf(QUEUE)).isEqualTo(mine);
    assertThat(retention.retentionOf(OTHER_QUEUE)).isEqualTo(Retention.DEFAULT);
  }

  @Test
  void trim_nothingToTrim_none() {
    assertThat(retention.trim(QUEUE)).isEqualTo(Trimmed.NONE);
    recordFinished(QUEUE, "f1", clock.instant());
    assertThat(retention.trim(QUEUE)).isEqualTo(Trimmed.NONE);
    assertThat(leftOf(QUEUE, "f1")).isNotEmpty();
  }

  @Test
  void trim_byCount_keepsExactlyTheNewestMax() {
    retention.setRetention(QUEUE, new Retention(Duration.ofDays(1), 3, Duration.ofDays(1), 3));
    for (int i = 0; i < 5; i++) {
      recordFinished(QUEUE, "f" + i, clock.instant().plusMillis(i));
    }

    assertThat(trimAll(QUEUE)).isEqualTo(new Trimmed(2, 0));

    assertThat(leftOf(QUEUE, "f0")).isEmpty();
    assertThat(leftOf(QUEUE, "f1")).isEmpty();
    for (int i = 2; i < 5; i++) {
      assertThat(leftOf(QUEUE, "f" + i)).as("f" + i).isNotEmpty();
    }
    assertThat(retention.trim(QUEUE)).isEqualTo(Trimmed.NONE);
  }

  @Test
  void trim_manyBeyondMax_allGoOverSeveralCalls() {
    retention.setRetention(QUEUE, new Retention(Duration.ofDays(1), 0, Duration.ofDays(1), 0));
    for (int i = 0; i < 1_200; i++) {
      recordFinished(QUEUE, "f" + i, clock.instant());
    }

    assertThat(trimAll(QUEUE)).isEqualTo(new Trimmed(1_200, 0));
    assertThat(leftOf(QUEUE, "f1199")).isEmpty();
  }

  @Test
  void trim_byAge_removesThoseOlderThanTheTime() {
    retention.setRetention(QUEUE, new Retention(Duration.ofHours(1), 100, Duration.ofDays(1), 100));
    Instant now = clock.instant();
    recordFinished(QUEUE, "old", now.minus(Duration.ofHours(1)).minusMillis(1));
    recordFinished(QUEUE, "edge", now.minus(Duration.ofHours(1)));
    recordFinished(QUEUE, "young", now.minus(Duration.ofMinutes(30)));

    assertThat(trimAll(QUEUE)).isEqualTo(new Trimmed(1, 0));
    assertThat(leftOf(QUEUE, "old")).isEmpty();
    assertThat(leftOf(QUEUE, "edge")).isNotEmpty();

    clock.advance(Duration.ofMinutes(31));
    assertThat(trimAll(QUEUE)).isEqualTo(new Trimmed(2, 0));
    assertThat(leftOf(QUEUE, "young")).isEmpty();
  }

  @Test
  void trim_settingsArePerQueue() {
    retention.setRetention(QUEUE, new Retention(Duration.ofDays(1), 0, Duration.ofDays(1), 0));
    recordFinished(QUEUE, "f1", clock.instant());
    recordFinished(OTHER_QUEUE, "o1", clock.instant());

    assertThat(trimAll(QUEUE)).isEqualTo(new Trimmed(1, 0));
    assertThat(trimAll(OTHER_QUEUE)).isEqualTo(Trimmed.NONE);
    assertThat(leftOf(OTHER_QUEUE, "o1")).isNotEmpty();
  }

  @Test
  void trim_deadByCount_removesTheOldestWithEverythingTheyHold() throws Exception {
    retention.setRetention(QUEUE, new Retention(Duration.ofDays(1), 100, Duration.ofDays(1), 2));
    for (int i = 0; i < 4; i++) {
      kill("d" + i, UniqueKey.untilDone("key-d" + i));
    }

    assertThat(trimAll(QUEUE)).isEqualTo(new Trimmed(0, 2));

    assertThat(leftOf(QUEUE, "d0")).isEmpty();
    assertThat(leftOf(QUEUE, "d1")).isEmpty();
    assertThat(deadLetters.size(QUEUE)).isEqualTo(2);
    assertThat(deadLetters.list(QUEUE, 0, 10))
        .extracting(d -> d.task().id().value())
        .containsExactly("d2", "d3");
    broker.enqueue(aTask("d0").build(), Duration.ZERO); // its id is free again
    assertThat(takeAndAck(QUEUE)).containsExactly("d0");
  }

  @Test
  void trim_deadByAge_removesThoseThatDiedBeforeTheTime() throws Exception {
    retention.setRetention(QUEUE, new Retention(Duration.ofDays(1), 100, Duration.ofDays(1), 100));
    kill("early", UniqueKey.untilDone("k1"));
    clock.advance(Duration.ofHours(12));
    kill("late", UniqueKey.untilDone("k2"));
    clock.advance(Duration.ofHours(12));
    assertThat(trimAll(QUEUE)).isEqualTo(Trimmed.NONE);

    clock.advance(Duration.ofMillis(1));
    assertThat(trimAll(QUEUE)).isEqualTo(new Trimmed(0, 1));

    assertThat(leftOf(QUEUE, "early")).isEmpty();
    assertThat(leftOf(QUEUE, "late")).isNotEmpty();
  }

  @Test
  void trim_finishedUniqueTask_leavesNothingOfIt_andFreesNothingOfALaterHolder() throws Exception {
    retention.setRetention(QUEUE, new Retention(Duration.ofDays(1), 0, Duration.ofDays(1), 100));
    UniqueTasks unique = (UniqueTasks) broker;
    unique.enqueueUnique(aTask("u1").build(), UniqueKey.untilDone("k"), Duration.ZERO, LEASE);
    assertThat(takeAndAck(QUEUE)).containsExactly("u1");
    recordFinished(QUEUE, "u1", clock.instant());
    unique.enqueueUnique(aTask("u2").build(), UniqueKey.untilDone("k"), Duration.ZERO, LEASE);

    assertThat(trimAll(QUEUE)).isEqualTo(new Trimmed(1, 0));

    assertThat(leftOf(QUEUE, "u1")).isEmpty();
    assertThat(
            unique
                .enqueueUnique(aTask("u3").build(), UniqueKey.untilDone("k"), Duration.ZERO, LEASE)
                .id())
        .isEqualTo(new TaskId("u2"));
    assertThat(takeAndAck(QUEUE)).containsExactly("u2");
  }

  /** A record written by the broker itself (a cancel), not by the test: trimmed all the same. */
  @Test
  void trim_cancelledTaskRecord_leavesNothingOfIt() throws Exception {
    assertThat(broker).as("every contract broker cancels").isInstanceOf(TaskCancels.class);
    retention.setRetention(QUEUE, new Retention(Duration.ofDays(1), 1, Duration.ofDays(1), 100));
    UniqueTasks unique = (UniqueTasks) broker;
    unique.enqueueUnique(aTask("c1").build(), UniqueKey.untilDone("k1"), Duration.ZERO, LEASE);
    clock.advance(Duration.ofMillis(1));
    unique.enqueueUnique(aTask("c2").build(), UniqueKey.untilDone("k2"), Duration.ZERO, LEASE);
    TaskCancels cancels = (TaskCancels) broker;
    assertThat(cancels.cancel(QUEUE, new TaskId("c1"))).isEqualTo(CancelOutcome.CANCELLED);
    clock.advance(Duration.ofMillis(1));
    assertThat(cancels.cancel(QUEUE, new TaskId("c2"))).isEqualTo(CancelOutcome.CANCELLED);
    assertThat(leftOf(QUEUE, "c1")).isNotEmpty();

    assertThat(trimAll(QUEUE)).isEqualTo(new Trimmed(1, 0));

    assertThat(leftOf(QUEUE, "c1")).isEmpty();
    assertThat(leftOf(QUEUE, "c2")).as("the newest record is kept").isNotEmpty();
  }

  @Test
  void trim_windowPassed_releasesTheKeyOfAnEndedTask() throws Exception {
    retention.setRetention(QUEUE, new Retention(Duration.ofDays(1), 0, Duration.ofDays(1), 100));
    UniqueTasks unique = (UniqueTasks) broker;
    unique.enqueueUnique(
        aTask("w1").build(), UniqueKey.forWindow("k", Duration.ofMinutes(5)), Duration.ZERO, LEASE);
    assertThat(takeAndAck(QUEUE)).containsExactly("w1");
    retention.trim(QUEUE); // its record goes, its key stays for the window
    assertThat(leftOf(QUEUE, "w1")).as("held for its window").isNotEmpty();

    clock.advance(Duration.ofMinutes(5));
    retention.trim(QUEUE);

    assertThat(leftOf(QUEUE, "w1")).isEmpty();
  }

  /** Trims until a call removes nothing; the sum of what the calls removed. */
  protected final Trimmed trimAll(String queue) {
    long finished = 0;
    long dead = 0;
    for (int i = 0; i < 100; i++) {
      Trimmed t = retention.trim(queue);
      if (t.equals(Trimmed.NONE)) {
        break;
      }
      finished += t.finished();
      dead += t.dead();
    }
    return finished + dead == 0 ? Trimmed.NONE : new Trimmed(finished, dead);
  }

  /** Enqueues {@code id} with {@code key}, takes it and dead-letters it now. */
  private void kill(String id, UniqueKey key) throws InterruptedException {
    ((UniqueTasks) broker).enqueueUnique(aTask(id).build(), key, Duration.ZERO, LEASE);
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    broker.deadLetter(lease, new Failure("boom", "gave up", 1, clock.instant()));
  }

  private List<String> takeAndAck(String queue) throws InterruptedException {
    List<Lease> leases = broker.dequeueBatch(queue, 100, LEASE, Duration.ZERO);
    assertThat(broker.ackAll(leases)).isEmpty();
    List<String> ids = new ArrayList<>();
    leases.forEach(l -> ids.add(l.task().id().value()));
    return ids;
  }
}
