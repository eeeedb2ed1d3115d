package dev.dq.testing;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.port.Broker;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.schedule.FireOutcome;
import dev.dq.core.schedule.Overlap;
import dev.dq.core.schedule.Schedule;
import dev.dq.core.schedule.ScheduleEvent;
import dev.dq.core.schedule.ScheduleSpec;
import dev.dq.core.schedule.ScheduleState;
import dev.dq.core.schedule.Schedules;
import dev.dq.core.schedule.UpsertOutcome;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Schedules} must do with the {@link Broker} its fires enqueue into. An adapter's
 * test extends it and supplies {@link #create}. Time is {@link #clock}, the broker's clock.
 */
public abstract class SchedulesContract {
  protected static final String QUEUE = Task.DEFAULT_QUEUE;
  protected static final Duration LEASE = Duration.ofSeconds(30);
  protected static final int THREADS = 8;

  protected final FakeClock clock = FakeClock.at(TaskFixtures.EPOCH);
  protected Broker broker;
  protected Schedules schedules;

  private final Instant t0 = TaskFixtures.EPOCH.plusSeconds(60);
  private final Instant t1 = t0.plusSeconds(60);
  private final Instant t2 = t1.plusSeconds(60);
  private final Instant t3 = t2.plusSeconds(60);

  /**
   * A new, empty broker whose time comes only from {@code clock}, holding at most {@code
   * capacityPerQueue} waiting tasks per queue, and its schedules.
   */
  protected abstract BrokerAndSchedules create(InstantSource clock, int capacityPerQueue);

  @BeforeEach
  final void createDefault() {
    use(create(clock, 1_000));
  }

  @AfterEach
  final void closeBroker() {
    broker.close();
  }

  private void use(BrokerAndSchedules pair) {
    broker = pair.broker();
    schedules = pair.schedules();
  }

  private static Schedule everyMinute(String name) {
    return Schedule.of(name, QUEUE, ScheduleSpec.cron("* * * * *"), "report")
        .withPayload(Payload.ofUtf8("p"))
        .withZone(ZoneId.of("Europe/Berlin"));
  }

  @Test
  void upsert_new_storesItWithItsFirstTick() {
    Schedule s = everyMinute("a");

    assertThat(schedules.upsert(s, t0)).isEqualTo(UpsertOutcome.CREATED);

    assertThat(schedules.get(QUEUE, "a")).contains(new ScheduleState(s, t0, false));
    assertThat(schedules.get(QUEUE, "nope")).isEmpty();
  }

  @Test
  void upsert_sameSpecAgain_changesNothing_notEvenTheNextTick() {
    Schedule s = everyMinute("a");
    schedules.upsert(s, t0);
    clock.set(t0);
    assertThat(schedules.fire(s, t0, t1)).isEqualTo(FireOutcome.FIRED);

    assertThat(schedules.upsert(everyMinute("a"), t3)).isEqualTo(UpsertOutcome.UNCHANGED);

    assertThat(schedules.get(QUEUE, "a").orElseThrow().nextTick()).isEqualTo(t1);
  }

  @Test
  void upsert_changedSpec_replacesIt_resetsTheNextTick_keepsPaused() {
    Schedule s = everyMinute("a");
    schedules.upsert(s, t0);
    schedules.pause(QUEUE, "a");
    Schedule changed = s.withOverlap(Overlap.SKIP);

    assertThat(schedules.upsert(changed, t2)).isEqualTo(UpsertOutcome.UPDATED);

    assertThat(schedules.get(QUEUE, "a")).contains(new ScheduleState(changed, t2, true));
  }

  @Test
  void list_givesEverySchedule_byName() {
    schedules.upsert(everyMinute("b"), t0);
    schedules.upsert(everyMinute("a"), t1);
    schedules.upsert(
        Schedule.of("c", "elsewhere", ScheduleSpec.every(Duration.ofSeconds(5)), "x"), t0);

    assertThat(schedules.list(QUEUE))
        .extracting(st -> st.schedule().name())
        .containsExactly("a", "b");
    assertThat(schedules.list("elsewhere").get(0).schedule().spec())
        .isEqualTo(ScheduleSpec.every(Duration.ofSeconds(5)));
  }

  @Test
  void fire_dueTick_enqueuesItsTaskUnderTheDerivedId_andAdvances() throws Exception {
    Schedule s = everyMinute("a");
    schedules.upsert(s, t0);
    clock.set(t0.plusMillis(1500));

    assertThat(schedules.fire(s, t0, t1)).isEqualTo(FireOutcome.FIRED);

    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    assertThat(lease.task().id().value()).isEqualTo("cron:a:" + t0.toEpochMilli());
    assertThat(lease.task().type()).isEqualTo("report");
    assertThat(lease.task().payload().asUtf8()).isEqualTo("p");
    assertThat(lease.task().createdAt()).isEqualTo(t0);
    broker.ack(lease);
    assertThat(schedules.get(QUEUE, "a").orElseThrow().nextTick()).isEqualTo(t1);
    assertThat(schedules.history(QUEUE, "a", 10))
        .containsExactly(
            new ScheduleEvent(
                t0, "cron:a:" + t0.toEpochMilli(), FireOutcome.FIRED, clock.instant()));
  }

  @Test
  void fire_beforeTheTickOnTheBrokersClock_isEarly_andChangesNothing() throws Exception {
    Schedule s = everyMinute("a");
    schedules.upsert(s, t0);
    clock.set(t0.minusMillis(1));

    assertThat(schedules.fire(s, t0, t1)).isEqualTo(FireOutcome.EARLY);

    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    assertThat(schedules.get(QUEUE, "a").orElseThrow().nextTick()).isEqualTo(t0);
    assertThat(schedules.history(QUEUE, "a", 10)).isEmpty();
  }

  @Test
  void fire_ofATickThatIsNotTheNextOne_isStale() throws Exception {
    Schedule s = everyMinute("a");
    schedules.upsert(s, t0);
    clock.set(t1);
    assertThat(schedules.fire(s, t0, t1)).isEqualTo(FireOutcome.FIRED);

    assertThat(schedules.fire(s, t0, t1)).isEqualTo(FireOutcome.STALE);
    assertThat(schedules.fire(s.withOverlap(Overlap.SKIP), t1, t2)).isEqualTo(FireOutcome.STALE);
    assertThat(schedules.fire(everyMinute("unknown"), t1, t2)).isEqualTo(FireOutcome.STALE);

    assertThat(broker.stats(QUEUE).ready()).isEqualTo(1);
  }

  @Test
  void fire_nextTickNotAfterTheTick_isRefused() {
    Schedule s = everyMinute("a");
    assertThatThrownBy(() -> schedules.fire(s, t1, t1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(t1.toString());
  }

  @Test
  void fire_oneTickFromManyThreadsAtOnce_firesExactlyOnce() throws Exception {
    Schedule s = everyMinute("a");
    schedules.upsert(s, t0);
    clock.set(t0);

    List<FireOutcome> outcomes = concurrently(() -> schedules.fire(s, t0, t1));

    assertThat(outcomes).containsOnlyOnce(FireOutcome.FIRED);
    assertThat(outcomes).filteredOn(o -> o != FireOutcome.FIRED).containsOnly(FireOutcome.STALE);
    assertThat(broker.stats(QUEUE).ready()).isEqualTo(1);
  }

  @Test
  void upsert_sameSpecFromManyThreadsAtOnce_createsOnce_withOneNextTick_andFiresOnce()
      throws Exception {
    Schedule s = everyMinute("a");
    List<Instant> firstTicks = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      firstTicks.add(t0.plusSeconds(60L * i)); // each "process" computed its own first tick
    }
    List<UpsertOutcome> outcomes = new ArrayList<>();
    List<Integer> indexes = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      indexes.add(i);
    }
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<UpsertOutcome>> futures = new ArrayList<>();
      for (int i : indexes) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return schedules.upsert(s, firstTicks.get(i));
                }));
      }
      start.countDown();
      for (Future<UpsertOutcome> f : futures) {
        outcomes.add(f.get(30, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(outcomes).containsOnlyOnce(UpsertOutcome.CREATED);
    Instant next = schedules.get(QUEUE, "a").orElseThrow().nextTick();
    assertThat(firstTicks).contains(next);

    clock.set(t3.plusSeconds(3600));
    for (Instant later : firstTicks) {
      schedules.upsert(s, later.plusSeconds(1));
    }
    assertThat(schedules.get(QUEUE, "a").orElseThrow().nextTick()).isEqualTo(next);
    List<FireOutcome> fires = concurrently(() -> schedules.fire(s, next, next.plusSeconds(60)));
    assertThat(fires).containsOnlyOnce(FireOutcome.FIRED);
    assertThat(broker.stats(QUEUE).ready()).isEqualTo(1);
  }

  @Test
  void overlapSkip_skipsWhileThePreviousRunIsHeld_notOnceItIsDoneOrDead() throws Exception {
    Schedule s = everyMinute("a").withOverlap(Overlap.SKIP);
    schedules.upsert(s, t0);
    clock.set(t3.plusSeconds(3600));
    assertThat(schedules.fire(s, t0, t1)).isEqualTo(FireOutcome.FIRED);

    assertThat(schedules.fire(s, t1, t2)).isEqualTo(FireOutcome.SKIPPED); // ready
    Lease running = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    assertThat(schedules.fire(s, t2, t3)).isEqualTo(FireOutcome.SKIPPED); // running
    broker.ack(running);
    Instant t4 = t3.plusSeconds(60);
    Instant t5 = t4.plusSeconds(60);
    assertThat(schedules.fire(s, t3, t4)).isEqualTo(FireOutcome.FIRED); // done
    Lease failing = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    broker.deadLetter(failing, new Failure("boom", "failed", 1, clock.instant()));
    assertThat(schedules.fire(s, t4, t5)).isEqualTo(FireOutcome.FIRED); // dead: no block

    assertThat(schedules.history(QUEUE, "a", 10))
        .extracting(ScheduleEvent::outcome)
        .containsExactly(
            FireOutcome.FIRED,
            FireOutcome.FIRED,
            FireOutcome.SKIPPED,
            FireOutcome.SKIPPED,
            FireOutcome.FIRED);
  }

  @Test
  void overlapAllow_firesWhileThePreviousRunIsHeld() {
    Schedule s = everyMinute("a");
    schedules.upsert(s, t0);
    clock.set(t2);
    assertThat(schedules.fire(s, t0, t1)).isEqualTo(FireOutcome.FIRED);
    assertThat(schedules.fire(s, t1, t2)).isEqualTo(FireOutcome.FIRED);
    assertThat(broker.stats(QUEUE).ready()).isEqualTo(2);
  }

  @Test
  void fire_whenTheIdIsHeldAlready_isDuplicate_andAdvances() throws Exception {
    Schedule s = everyMinute("a");
    schedules.upsert(s, t0);
    broker.enqueue(aTask(s.taskId(t0).value()).build(), Duration.ZERO);
    clock.set(t0);

    assertThat(schedules.fire(s, t0, t1)).isEqualTo(FireOutcome.DUPLICATE);

    assertThat(broker.stats(QUEUE).ready()).isEqualTo(1);
    assertThat(schedules.get(QUEUE, "a").orElseThrow().nextTick()).isEqualTo(t1);
  }

  @Test
  void fire_onAFullQueue_keepsTheTickDue_andFiresItOnceThereIsRoom() throws Exception {
    broker.close();
    use(create(clock, 1));
    Schedule s = everyMinute("a");
    schedules.upsert(s, t0);
    broker.enqueue(aTask("filler").build(), Duration.ZERO);
    clock.set(t0);

    assertThat(schedules.fire(s, t0, t1)).isEqualTo(FireOutcome.FULL);
    assertThat(schedules.get(QUEUE, "a").orElseThrow().nextTick()).isEqualTo(t0);

    broker.ack(broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow());
    assertThat(schedules.fire(s, t0, t1)).isEqualTo(FireOutcome.FIRED);
  }

  @Test
  void pausedSchedule_doesNotFire_untilResumed_atTheGivenTick() {
    Schedule s = everyMinute("a");
    schedules.upsert(s, t0);
    clock.set(t2);

    assertThat(schedules.pause(QUEUE, "a")).isTrue();
    assertThat(schedules.fire(s, t0, t1)).isEqualTo(FireOutcome.STALE);
    assertThat(schedules.get(QUEUE, "a").orElseThrow().paused()).isTrue();

    assertThat(schedules.resume(QUEUE, "a", t2)).isTrue();
    assertThat(schedules.get(QUEUE, "a")).contains(new ScheduleState(s, t2, false));
    assertThat(schedules.fire(s, t2, t3)).isEqualTo(FireOutcome.FIRED);
    assertThat(schedules.pause(QUEUE, "nope")).isFalse();
    assertThat(schedules.resume(QUEUE, "nope", t2)).isFalse();
  }

  @Test
  void resume_ofAScheduleThatIsNotPaused_changesNothing() {
    Schedule s = everyMinute("a");
    schedules.upsert(s, t0);
    assertThat(schedules.resume(QUEUE, "a", t3)).isTrue();
    assertThat(schedules.get(QUEUE, "a").orElseThrow().nextTick()).isEqualTo(t0);
  }

  @Test
  void miss_advancesWithoutEnqueueing_andIsLogged() throws Exception {
    Schedule s = everyMinute("a");
    schedules.upsert(s, t0);
    clock.set(t2);

    assertThat(schedules.miss(s, t0, t1)).isEqualTo(FireOutcome.MISSED);
    assertThat(schedules.miss(s, t0, t1)).isEqualTo(FireOutcome.STALE);

    assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    assertThat(schedules.get(QUEUE, "a").orElseThrow().nextTick()).isEqualTo(t1);
    assertThat(schedules.history(QUEUE, "a", 10))
        .extracting(ScheduleEvent::outcome)
        .containsExactly(FireOutcome.MISSED);
  }

  @Test
  void remove_forgetsTheSchedule_butNotItsRuns() throws Exception {
    Schedule s = everyMinute("a");
    schedules.upsert(s, t0);
    clock.set(t0);
    schedules.fire(s, t0, t1);

    assertThat(schedules.remove(QUEUE, "a")).isTrue();
    assertThat(schedules.remove(QUEUE, "a")).isFalse();

    assertThat(schedules.get(QUEUE, "a")).isEmpty();
    assertThat(schedules.history(QUEUE, "a", 10)).isEmpty();
    assertThat(schedules.fire(s, t1, t2)).isEqualTo(FireOutcome.STALE);
    assertThat(broker.stats(QUEUE).ready()).isEqualTo(1);
  }

  @Test
  void history_keepsTheNewestEntriesOnly() {
    Schedule s = Schedule.of("a", QUEUE, ScheduleSpec.every(Duration.ofSeconds(1)), "t");
    Instant tick = t0;
    schedules.upsert(s, tick);
    clock.set(t0.plusSeconds(3600));
    for (int i = 0; i < Schedules.HISTORY_LIMIT + 5; i++) {
      assertThat(schedules.miss(s, tick, tick.plusSeconds(1))).isEqualTo(FireOutcome.MISSED);
      tick = tick.plusSeconds(1);
    }

    List<ScheduleEvent> history = schedules.history(QUEUE, "a", 1_000);
    assertThat(history).hasSize(Schedules.HISTORY_LIMIT);
    assertThat(history.get(0).tick()).isEqualTo(tick.minusSeconds(1));
    assertThat(schedules.history(QUEUE, "a", 3)).hasSize(3);
  }

  @Test
  void schedule_keepsHeaders() throws Exception {
    Schedule s =
        new Schedule(
            "h",
            QUEUE,
            ScheduleSpec.every(Duration.ofSeconds(30)),
            ZoneId.of("UTC"),
            "t",
            Payload.EMPTY,
            Map.of("k", "v"),
            dev.dq.core.schedule.Misfire.ALL,
            Overlap.ALLOW);
    schedules.upsert(s, t0);
    assertThat(schedules.get(QUEUE, "h").map(ScheduleState::schedule)).isEqualTo(Optional.of(s));
    clock.set(t0);
    schedules.fire(s, t0, t1);
    Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
    assertThat(lease.task().headers()).containsEntry("k", "v");
    broker.ack(lease);
  }

  private static <T> List<T> concurrently(Callable<T> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return call.call();
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
