package dev.dq.testing;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.limit.Limit;
import dev.dq.core.limit.LimitReason;
import dev.dq.core.limit.LimitTarget;
import dev.dq.core.limit.LimitedClaims;
import dev.dq.core.limit.Limits;
import dev.dq.core.limit.Rate;
import dev.dq.core.port.Broker;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every broker offering {@link Limits} must do: admission at claim time, on the broker's
 * clock, without spending attempts, reordering or head-of-line blocking. Time comes only from
 * {@link #clock}.
 */
public abstract class LimitsContract {
  protected static final String QUEUE = Task.DEFAULT_QUEUE;
  protected static final Duration LEASE = Duration.ofSeconds(30);
  protected static final Duration PATIENCE = Duration.ofSeconds(30);

  protected final FakeClock clock = FakeClock.at(TaskFixtures.EPOCH);
  protected Broker broker;
  protected Limits limits;

  /** A new, empty broker that reads time only from {@code clock} and offers {@link Limits}. */
  protected abstract Broker createBroker(InstantSource clock);

  /** Returns once {@code call} is blocked inside the broker (or done). */
  protected void awaitBlocked(BackgroundCall<?> call) {
    await().atMost(PATIENCE).until(() -> call.isDone() || call.isParked());
  }

  @BeforeEach
  final void createDefaultBroker() {
    broker = createBroker(clock);
    assertThat(broker).isInstanceOf(Limits.class);
    limits = (Limits) broker;
  }

  @AfterEach
  final void closeBroker() {
    broker.close();
  }

  private static Limit rate(LimitTarget target, long n, Duration per, long burst) {
    return Limit.ofRate(target, new Rate(n, per, burst));
  }

  private void enqueue(String type, String... ids) throws InterruptedException {
    for (String id : ids) {
      broker.enqueue(
          Task.builder(type).id(id).queue(QUEUE).createdAt(TaskFixtures.EPOCH).build(),
          Duration.ZERO);
    }
  }

  private List<Lease> take(int max) throws InterruptedException {
    return broker.dequeueBatch(QUEUE, max, LEASE, Duration.ZERO);
  }

  private static List<String> ids(List<Lease> leases) {
    return leases.stream().map(l -> l.task().id().value()).toList();
  }

  private void ackAll(List<Lease> leases) {
    leases.forEach(broker::ack);
  }

  // --- set, list, remove

  @Test
  void setLimit_thenList_showsItAndReplacesTheOld() {
    LimitTarget type = LimitTarget.type("email");
    limits.setLimit(Limit.ofConcurrency(type, 3));
    limits.setLimit(
        new Limit(type, Optional.of(new Rate(50, Duration.ofSeconds(1), 5)), OptionalInt.of(4)));
    limits.setLimit(Limit.ofConcurrency(LimitTarget.queue("bulk"), 2));

    assertThat(limits.limits())
        .containsExactly(
            Limit.ofConcurrency(LimitTarget.queue("bulk"), 2),
            new Limit(
                type, Optional.of(new Rate(50, Duration.ofSeconds(1), 5)), OptionalInt.of(4)));
    assertThat(limits.limit(type)).isPresent();
  }

  @Test
  void removeLimit_knownAndUnknown_reportsWhetherOneWasSet() {
    limits.setLimit(Limit.ofConcurrency(LimitTarget.type("email"), 3));

    assertThat(limits.removeLimit(LimitTarget.type("email"))).isTrue();
    assertThat(limits.removeLimit(LimitTarget.type("email"))).isFalse();
    assertThat(limits.limits()).isEmpty();
  }

  // --- rate

  @Test
  void rate_batchTakesOnlyWhatTheRateAllowsNow_restLaterWithAttemptUnchanged() throws Exception {
    limits.setLimit(rate(LimitTarget.queue(QUEUE), 2, Duration.ofSeconds(1), 0));
    enqueue("test", "t1", "t2", "t3");

    List<Lease> first = take(10);
    assertThat(ids(first)).containsExactly("t1");
    assertThat(take(10)).isEmpty();
    clock.advance(Duration.ofMillis(499));
    assertThat(take(10)).isEmpty();
    clock.advance(Duration.ofMillis(1));
    List<Lease> second = take(10);
    assertThat(ids(second)).containsExactly("t2");
    clock.advance(Duration.ofMillis(500));
    List<Lease> third = take(10);

    assertThat(ids(third)).containsExactly("t3");
    assertThat(third.get(0).task().attempt()).isEqualTo(1);
    ackAll(first);
    ackAll(second);
    ackAll(third);
  }

  @Test
  void rate_afterQuietSpell_allowsBurstPlusOneAtOnce() throws Exception {
    limits.setLimit(rate(LimitTarget.queue(QUEUE), 10, Duration.ofSeconds(1), 3));
    for (int i = 0; i < 10; i++) {
      enqueue("test", "t" + i);
    }

    List<Lease> burst = take(10);

    assertThat(burst).hasSize(4);
    ackAll(burst);
  }

  /** Starts in every window of one interval stay within rate + burst: no edge burst of 2N. */
  @Test
  void rate_anyWindowOfOneInterval_neverExceedsRatePlusBurst() throws Exception {
    int n = 10;
    int burst = 2;
    limits.setLimit(rate(LimitTarget.queue(QUEUE), n, Duration.ofSeconds(1), burst));
    for (int i = 0; i < 200; i++) {
      enqueue("test", "t" + i);
    }
    List<Long> starts = new ArrayList<>();
    for (long ms = 0; ms < 3_000; ms += 25) {
      List<Lease> got = take(50);
      got.forEach(l -> starts.add(clock.millis()));
      ackAll(got);
      clock.advance(Duration.ofMillis(25));
    }

    int most = 0;
    for (int i = 0; i < starts.size(); i++) {
      int inWindow = 0;
      for (long s : starts) {
        if (s >= starts.get(i) && s < starts.get(i) + 1_000) {
          inWindow++;
        }
      }
      most = Math.max(most, inWindow);
    }
    assertThat(most).isLessThanOrEqualTo(n + burst);
    // and the rate is reached: 3 s at 10/s plus the burst
    assertThat(starts.size()).isBetween(3 * n, 3 * n + burst + 1);
  }

  @Test
  void rate_waitingDequeue_returnsAtTheNextOpening() throws Exception {
    limits.setLimit(rate(LimitTarget.queue(QUEUE), 1, Duration.ofSeconds(10), 0));
    enqueue("test", "t1", "t2");
    ackAll(take(1));

    BackgroundCall<List<Lease>> waiting =
        BackgroundCall.call(
            "dequeue", () -> broker.dequeueBatch(QUEUE, 5, LEASE, Duration.ofSeconds(60)));
    awaitBlocked(waiting);
    clock.advance(Duration.ofSeconds(10));

    List<Lease> got = waiting.result(PATIENCE);
    assertThat(ids(got)).containsExactly("t2");
    ackAll(got);
  }

  @Test
  void rateChange_appliesToTheNextClaim() throws Exception {
    limits.setLimit(rate(LimitTarget.queue(QUEUE), 1, Duration.ofHours(1), 0));
    enqueue("test", "t1", "t2", "t3");
    ackAll(take(5));
    assertThat(take(5)).isEmpty();

    limits.setLimit(Limit.ofConcurrency(LimitTarget.queue(QUEUE), 5));
    List<Lease> got = take(5);

    assertThat(ids(got)).containsExactly("t2", "t3");
    ackAll(got);
  }

  // --- concurrency

  @Test
  void concurrency_batchTakesOnlyThePermitsLeft_settleFreesOne() throws Exception {
    limits.setLimit(Limit.ofConcurrency(LimitTarget.queue(QUEUE), 2));
    enqueue("test", "t1", "t2", "t3", "t4");

    List<Lease> first = take(10);
    assertThat(ids(first)).containsExactly("t1", "t2");
    assertThat(take(10)).isEmpty();
    broker.ack(first.get(0));
    List<Lease> second = take(10);
    assertThat(ids(second)).containsExactly("t3");
    broker.retryLater(first.get(1), Duration.ofHours(1));
    List<Lease> third = take(10);

    assertThat(ids(third)).containsExactly("t4");
    assertThat(third.get(0).task().attempt()).isEqualTo(1);
    ackAll(second);
    ackAll(third);
  }

  @Test
  void concurrency_expiredLease_givesItsPermitBackEvenBeforeReclaim() throws Exception {
    limits.setLimit(Limit.ofConcurrency(LimitTarget.queue(QUEUE), 1));
    enqueue("test", "t1", "t2");
    Lease crashed = take(1).get(0);
    assertThat(take(1)).isEmpty();

    clock.advance(LEASE.plusSeconds(1));
    List<Lease> got = take(1);

    assertThat(ids(got)).containsExactly("t2");
    ackAll(got);
    assertThat(broker.reclaimExpiredLeases()).isEqualTo(1);
    assertThat(crashed.task().id().value()).isEqualTo("t1");
    ackAll(take(1));
  }

  @Test
  void concurrency_extendedLease_keepsItsPermit() throws Exception {
    limits.setLimit(Limit.ofConcurrency(LimitTarget.queue(QUEUE), 1));
    enqueue("test", "t1", "t2");
    Lease lease = take(1).get(0);

    clock.advance(LEASE.minusSeconds(1));
    lease = broker.extend(lease, LEASE);
    clock.advance(Duration.ofSeconds(5));

    assertThat(take(1)).isEmpty();
    broker.ack(lease);
    ackAll(take(1));
  }

  @Test
  void concurrency_waitingDequeue_isWokenBySettle() throws Exception {
    limits.setLimit(Limit.ofConcurrency(LimitTarget.queue(QUEUE), 1));
    enqueue("test", "t1", "t2");
    Lease running = take(1).get(0);

    BackgroundCall<List<Lease>> waiting =
        BackgroundCall.call(
            "dequeue", () -> broker.dequeueBatch(QUEUE, 5, LEASE, Duration.ofSeconds(60)));
    awaitBlocked(waiting);
    broker.ack(running);

    List<Lease> got = waiting.result(PATIENCE);
    assertThat(ids(got)).containsExactly("t2");
    ackAll(got);
  }

  // --- types: no head-of-line blocking, order kept

  @Test
  void typeLimit_closedType_doesNotBlockOtherTypes_andKeepsItsOrder() throws Exception {
    limits.setLimit(Limit.ofConcurrency(LimitTarget.type("slow"), 1));
    enqueue("slow", "s1", "s2");
    enqueue("fast", "f1");
    enqueue("slow", "s3");
    enqueue("fast", "f2");

    List<Lease> first = take(10);
    assertThat(ids(first)).containsExactly("s1", "f1", "f2");
    assertThat(take(10)).isEmpty();
    enqueue("fast", "f3");
    List<Lease> more = take(10);
    assertThat(ids(more)).containsExactly("f3");

    broker.ack(first.get(0));
    List<Lease> next = take(10);
    assertThat(ids(next)).containsExactly("s2");
    broker.ack(next.get(0));
    List<Lease> last = take(10);

    assertThat(ids(last)).containsExactly("s3");
    assertThat(last.get(0).task().attempt()).isEqualTo(1);
    ackAll(first.subList(1, 3));
    ackAll(more);
    ackAll(last);
  }

  @Test
  void typeRate_andQueueConcurrency_bothApply() throws Exception {
    limits.setLimit(rate(LimitTarget.type("api"), 1, Duration.ofSeconds(1), 0));
    limits.setLimit(Limit.ofConcurrency(LimitTarget.queue(QUEUE), 2));
    enqueue("api", "a1", "a2");
    enqueue("other", "o1", "o2");

    List<Lease> first = take(10);

    assertThat(ids(first)).containsExactly("a1", "o1");
    ackAll(first);
    List<Lease> second = take(10);
    assertThat(ids(second)).containsExactly("o2");
    ackAll(second);
    clock.advance(Duration.ofSeconds(1));
    List<Lease> third = take(10);
    assertThat(ids(third)).containsExactly("a2");
    ackAll(third);
  }

  @Test
  void removeLimit_heldBackTasks_becomeClaimableInOrder() throws Exception {
    limits.setLimit(Limit.ofConcurrency(LimitTarget.type("slow"), 1));
    enqueue("slow", "s1", "s2", "s3");
    enqueue("fast", "f1");
    List<Lease> first = take(10);
    assertThat(ids(first)).containsExactly("s1", "f1");

    limits.removeLimit(LimitTarget.type("slow"));
    List<Lease> rest = take(10);

    assertThat(ids(rest)).containsExactly("s2", "s3");
    ackAll(first);
    ackAll(rest);
  }

  @Test
  void heldBackTasks_countAsReadyInStats() throws Exception {
    limits.setLimit(Limit.ofConcurrency(LimitTarget.type("slow"), 1));
    enqueue("slow", "s1", "s2", "s3");
    List<Lease> first = take(10);

    assertThat(broker.stats(QUEUE).ready()).isEqualTo(2);
    assertThat(broker.stats(QUEUE).inFlight()).isEqualTo(1);
    ackAll(first);
    ackAll(take(10));
    ackAll(take(10));
  }

  // --- metrics

  @Test
  void limitedClaims_countsClaimsHeldBackByReason() throws Exception {
    limits.setLimit(Limit.ofConcurrency(LimitTarget.queue(QUEUE), 1));
    limits.setLimit(rate(LimitTarget.queue("paced"), 1, Duration.ofHours(1), 0));
    enqueue("test", "t1", "t2");
    broker.enqueue(aTask("p1").queue("paced").build(), Duration.ZERO);
    broker.enqueue(aTask("p2").queue("paced").build(), Duration.ZERO);
    List<Lease> held = new ArrayList<>(take(5));
    held.addAll(broker.dequeueBatch("paced", 5, LEASE, Duration.ZERO));

    assertThat(take(5)).isEmpty();
    assertThat(take(5)).isEmpty();
    assertThat(broker.dequeueBatch("paced", 5, LEASE, Duration.ZERO)).isEmpty();

    assertThat(limits.limitedClaims())
        .contains(
            new LimitedClaims(QUEUE, LimitReason.CONCURRENCY, 2),
            new LimitedClaims("paced", LimitReason.RATE, 1));
    ackAll(held);
  }

  @Test
  void noWork_isNotCountedAsLimited() throws Exception {
    limits.setLimit(Limit.ofConcurrency(LimitTarget.queue(QUEUE), 1));

    assertThat(take(5)).isEmpty();

    assertThat(limits.limitedClaims()).isEmpty();
  }
}
