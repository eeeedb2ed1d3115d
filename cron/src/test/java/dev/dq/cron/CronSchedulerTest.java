package dev.dq.cron;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.port.Lease;
import dev.dq.core.schedule.FireOutcome;
import dev.dq.core.schedule.Misfire;
import dev.dq.core.schedule.Schedule;
import dev.dq.core.schedule.ScheduleEvent;
import dev.dq.core.schedule.ScheduleSpec;
import dev.dq.core.schedule.Schedules;
import dev.dq.core.task.Task;
import dev.dq.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler loop over an in-memory broker, one pass at a time on a fake broker clock: several
 * schedulers fire each tick once, and late ticks follow the misfire policy.
 */
final class CronSchedulerTest {
  private static final String QUEUE = Task.DEFAULT_QUEUE;
  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
  private final FakeClock clock = FakeClock.at(START);
  private final InMemoryBroker broker = InMemoryBroker.builder().clock(clock).build();
  private final Schedules schedules = broker.schedules();
  private final Map<FireOutcome, AtomicInteger> outcomes = new ConcurrentHashMap<>();

  @AfterEach
  void close() {
    broker.close();
  }

  private CronScheduler scheduler(Duration grace) {
    return new CronScheduler(
        schedules,
        List.of(QUEUE),
        grace,
        Duration.ofSeconds(1),
        (s, tick, outcome, lag) ->
            outcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet());
  }

  private static Schedule everySecond(Misfire misfire) {
    return Schedule.of("s", QUEUE, ScheduleSpec.every(Duration.ofSeconds(1)), "tick")
        .withMisfire(misfire);
  }

  private List<String> drainIds() throws InterruptedException {
    List<String> ids = new ArrayList<>();
    while (true) {
      var lease = broker.dequeue(QUEUE, Duration.ofMinutes(1), Duration.ZERO);
      if (lease.isEmpty()) {
        return ids;
      }
      Lease l = lease.get();
      ids.add(l.task().id().value());
      broker.ack(l);
    }
  }

  private static List<String> idsOf(Instant fromInclusive, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add("cron:s:" + fromInclusive.plusSeconds(i).toEpochMilli());
    }
    return ids;
  }

  @Test
  void threeSchedulersAtOnce_enqueueEachTickExactlyOnce() throws Exception {
    assertThat(Cron.add(schedules, everySecond(Misfire.SKIP))).isNotNull();
    List<CronScheduler> three =
        List.of(
            scheduler(Duration.ofSeconds(5)),
            scheduler(Duration.ofSeconds(5)),
            scheduler(Duration.ofSeconds(5)));
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      for (int second = 0; second < 60; second++) {
        clock.advance(Duration.ofMillis(1000));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Duration>> passes = new ArrayList<>();
        for (CronScheduler s : three) {
          passes.add(
              pool.submit(
                  () -> {
                    go.await();
                    return s.runOnce();
                  }));
        }
        go.countDown();
        for (Future<Duration> f : passes) {
          assertThat(f.get(10, TimeUnit.SECONDS)).isLessThanOrEqualTo(Duration.ofSeconds(1));
        }
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(drainIds()).containsExactlyElementsOf(idsOf(START.plusSeconds(1), 60));
    assertThat(outcomes.get(FireOutcome.FIRED)).hasValue(60);
  }

  @Test
  void misfireSkip_afterDowntime_firesNothingLate_andGoesOnWithTheNextTick() throws Exception {
    Cron.add(schedules, everySecond(Misfire.SKIP));
    clock.advance(Duration.ofMillis(60_500));

    scheduler(Duration.ZERO).runOnce();

    assertThat(drainIds()).isEmpty();
    assertThat(schedules.get(QUEUE, "s").orElseThrow().nextTick()).isEqualTo(START.plusSeconds(61));
    assertThat(schedules.history(QUEUE, "s", 10))
        .extracting(ScheduleEvent::outcome)
        .containsExactly(FireOutcome.MISSED);
  }

  @Test
  void misfireSkip_firesTheTicksWithinTheGrace() throws Exception {
    Cron.add(schedules, everySecond(Misfire.SKIP));
    clock.advance(Duration.ofMillis(60_500));

    scheduler(Duration.ofSeconds(10)).runOnce();

    assertThat(drainIds()).containsExactlyElementsOf(idsOf(START.plusSeconds(51), 10));
  }

  @Test
  void misfireOnce_afterDowntime_firesOnce() throws Exception {
    Cron.add(schedules, everySecond(Misfire.ONCE));
    clock.advance(Duration.ofMillis(60_500));

    scheduler(Duration.ZERO).runOnce();

    assertThat(drainIds()).containsExactly("cron:s:" + START.plusSeconds(1).toEpochMilli());
    assertThat(schedules.get(QUEUE, "s").orElseThrow().nextTick()).isEqualTo(START.plusSeconds(61));
  }

  @Test
  void misfireAll_afterDowntime_firesEachLateTick() throws Exception {
    Cron.add(schedules, everySecond(Misfire.ALL));
    clock.advance(Duration.ofMillis(60_500));

    scheduler(Duration.ZERO).runOnce();

    assertThat(drainIds()).containsExactlyElementsOf(idsOf(START.plusSeconds(1), 60));
  }

  @Test
  void misfireAll_isBounded_olderTicksAreMissed() throws Exception {
    Cron.add(schedules, everySecond(Misfire.ALL));
    clock.advance(Duration.ofMillis(150_500));

    CronScheduler s = scheduler(Duration.ZERO);
    s.runOnce();
    s.runOnce();

    assertThat(drainIds())
        .containsExactlyElementsOf(idsOf(START.plusSeconds(51), Schedules.MAX_CATCH_UP));
    assertThat(outcomes.get(FireOutcome.MISSED)).hasValue(1);
  }

  @Test
  void pausedSchedule_isNotFired_andResumesAtTheNextFutureTick() throws Exception {
    Cron.add(schedules, everySecond(Misfire.ALL));
    schedules.pause(QUEUE, "s");
    clock.advance(Duration.ofMillis(10_500));
    CronScheduler s = scheduler(Duration.ofSeconds(5));

    s.runOnce();
    assertThat(drainIds()).isEmpty();

    assertThat(Cron.resume(schedules, QUEUE, "s")).isTrue();
    clock.advance(Duration.ofMillis(1000));
    s.runOnce();
    assertThat(drainIds()).containsExactly("cron:s:" + START.plusSeconds(11).toEpochMilli());
  }

  @Test
  void fullQueue_keepsTheTick_untilThereIsRoom() throws Exception {
    try (InMemoryBroker small = InMemoryBroker.builder().clock(clock).capacity(1).build()) {
      Schedules sch = small.schedules();
      Cron.add(sch, everySecond(Misfire.SKIP));
      CronScheduler s =
          new CronScheduler(
              sch,
              List.of(QUEUE),
              Duration.ofSeconds(30),
              Duration.ofSeconds(1),
              CronListener.NONE);
      clock.advance(Duration.ofSeconds(1));
      s.runOnce(); // fires tick 1, the queue is now full
      clock.advance(Duration.ofSeconds(2));
      s.runOnce(); // tick 2 is full: kept
      assertThat(sch.get(QUEUE, "s").orElseThrow().nextTick()).isEqualTo(START.plusSeconds(2));
      small.ack(small.dequeue(QUEUE, Duration.ofMinutes(1), Duration.ZERO).orElseThrow());
      s.runOnce(); // tick 2 fires, tick 3 is full
      var lease = small.dequeue(QUEUE, Duration.ofMinutes(1), Duration.ZERO).orElseThrow();
      assertThat(lease.task().id().value())
          .isEqualTo("cron:s:" + START.plusSeconds(2).toEpochMilli());
      small.ack(lease);
      s.runOnce();
      lease = small.dequeue(QUEUE, Duration.ofMinutes(1), Duration.ZERO).orElseThrow();
      assertThat(lease.task().id().value())
          .isEqualTo("cron:s:" + START.plusSeconds(3).toEpochMilli());
      small.ack(lease);
    }
  }

  @Test
  void concurrentAddsOfOneSpec_leaveOneSchedule_andNoExtraFire() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> adds = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        adds.add(pool.submit(() -> Cron.add(schedules, everySecond(Misfire.ALL))));
        if (i % 10 == 0) {
          clock.advance(Duration.ofMillis(300));
        }
      }
      for (Future<?> f : adds) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    Instant next = schedules.get(QUEUE, "s").orElseThrow().nextTick();
    clock.set(next.plusSeconds(4));
    scheduler(Duration.ofSeconds(10)).runOnce();
    assertThat(drainIds()).containsExactlyElementsOf(idsOf(next, 5));
  }

  /** The broker's schedules, but "now" read 5 s ahead: a scheduler whose clock runs fast. */
  private Schedules aheadBy(Duration skew) {
    return (Schedules)
        java.lang.reflect.Proxy.newProxyInstance(
            Schedules.class.getClassLoader(),
            new Class<?>[] {Schedules.class},
            (proxy, method, args) ->
                method.getName().equals("now")
                    ? schedules.now().plus(skew)
                    : method.invoke(schedules, args));
  }

  @Test
  void aSchedulerWhoseClockIsAhead_neverFiresEarly_andTheTickFiresOnce() throws Exception {
    Cron.add(schedules, everySecond(Misfire.ALL));
    CronScheduler fast =
        new CronScheduler(
            aheadBy(Duration.ofSeconds(5)),
            List.of(QUEUE),
            Duration.ofSeconds(10),
            Duration.ofSeconds(1),
            (s, tick, outcome, lag) ->
                outcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet());
    clock.advance(Duration.ofMillis(500)); // broker: tick 1 is still 500 ms away

    fast.runOnce();

    assertThat(drainIds()).isEmpty();
    assertThat(outcomes.get(FireOutcome.EARLY)).hasPositiveValue();
    clock.advance(Duration.ofMillis(500));
    fast.runOnce();
    scheduler(Duration.ofSeconds(10)).runOnce();
    assertThat(drainIds()).containsExactly("cron:s:" + START.plusSeconds(1).toEpochMilli());
  }
}
