package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.DeadLetter;
import dev.dq.core.schedule.FireOutcome;
import dev.dq.core.schedule.ScheduleEvent;
import dev.dq.core.schedule.Schedules;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The leader-free scheduler across real {@code dq run} processes on one private Redis: each tick of
 * a 1-second schedule is enqueued exactly once while one scheduler is killed with SIGKILL and
 * another stopped with SIGSTOP; and late ticks after every scheduler was down follow the misfire
 * policy. The runs serve no handler for the schedule's type, so every run is dead-lettered: the
 * dead-letter queue is the record of the ids enqueued, apart from the schedule's own history.
 */
final class CronIT extends WithRedis {
  private static final String TYPE = "cron-probe"; // no handler: each run is dead-lettered

  private static Dq.Running startRun(String queue) throws Exception {
    return Dq.Running.start(
        env("DQ_METRICS_PORT", "0"),
        "run",
        "--queue",
        queue,
        "--workers",
        "1",
        "--lease-time",
        "5s");
  }

  private static void awaitScheduler(Dq.Running run) {
    await()
        .atMost(Dq.PATIENCE)
        .until(() -> run.hasErrLine(l -> l.contains("cron scheduler started")) || !run.alive());
    assertThat(run.alive()).as("dq run alive; stderr:%n%s", run.errText()).isTrue();
  }

  private static void signal(Dq.Running run, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(run.pid())).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }

  /** The ticks from {@code first} up to, not including, {@code end}, a second apart. */
  private static Set<String> ids(String name, Instant first, Instant end) {
    Set<String> ids = new TreeSet<>();
    for (Instant t = first; t.isBefore(end); t = t.plusSeconds(1)) {
      ids.add("cron:" + name + ":" + t.toEpochMilli());
    }
    return ids;
  }

  private List<ScheduleEvent> chronological(String queue, String name) {
    List<ScheduleEvent> h =
        new ArrayList<>(broker.schedules().history(queue, name, Schedules.HISTORY_LIMIT));
    Collections.reverse(h);
    return h;
  }

  @Test
  void threeSchedulers_oneKilled_oneStopped_enqueueEveryTickExactlyOnce() throws Exception {
    String queue = "cronq";
    Dq.Result add =
        Dq.run(
            env(),
            "cron",
            "add",
            "probe",
            "--every",
            "1s",
            "--type",
            TYPE,
            "--queue",
            queue,
            "--misfire",
            "all");
    assertThat(add.code()).as("stderr: %s", add.err()).isZero();
    Instant first = broker.schedules().get(queue, "probe").orElseThrow().nextTick();

    List<Dq.Running> runs = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        runs.add(startRun(queue));
      }
      runs.forEach(CronIT::awaitScheduler);
      Thread.sleep(15_000);
      runs.get(0).close(); // SIGKILL, at whatever step it is in
      Thread.sleep(15_000);
      signal(runs.get(1), "-STOP");
      Thread.sleep(8_000);
      signal(runs.get(1), "-CONT");
      Thread.sleep(22_000);
      assertThat(Dq.run(env(), "cron", "pause", "probe", "--queue", queue).code()).isZero();
      Instant end = broker.schedules().get(queue, "probe").orElseThrow().nextTick();
      Set<String> expected = ids("probe", first, end);
      assertThat(expected.size()).isGreaterThanOrEqualTo(60);

      // The schedule's history: every tick once, each fired; no duplicate, no missed tick.
      List<ScheduleEvent> history = chronological(queue, "probe");
      List<ScheduleEvent> inWindow =
          history.subList(
              Math.max(0, history.size() - Math.min(expected.size(), 100)), history.size());
      assertThat(inWindow).allSatisfy(e -> assertThat(e.outcome()).isEqualTo(FireOutcome.FIRED));
      assertThat(history.get(history.size() - 1).tick()).isEqualTo(end.minusSeconds(1));

      // The tasks themselves: every id enqueued once reaches the dead-letter queue.
      await()
          .atMost(Dq.PATIENCE)
          .until(() -> broker.deadLetterQueue().size(queue) >= expected.size());
      Set<String> dead =
          broker.deadLetterQueue().list(queue, 0, 10_000).stream()
              .map(DeadLetter::task)
              .map(t -> t.id().value())
              .collect(Collectors.toCollection(TreeSet::new));
      assertThat(dead).containsExactlyElementsOf(expected);
      for (Dq.Running r : runs.subList(1, 3)) {
        assertThat(r.terminate()).as("stderr:%n%s", r.errText()).isZero();
      }
    } finally {
      runs.forEach(Dq.Running::close);
    }
  }

  @Test
  void misfire_afterEverySchedulerWasDown_skipOnceAll() throws Exception {
    String queue = "lateq";
    for (String policy : List.of("skip", "once", "all")) {
      Dq.Result add =
          Dq.run(
              env(),
              "cron",
              "add",
              policy,
              "--every",
              "1s",
              "--type",
              TYPE,
              "--queue",
              queue,
              "--misfire",
              policy);
      assertThat(add.code()).as("stderr: %s", add.err()).isZero();
    }
    Instant skipFirst = broker.schedules().get(queue, "skip").orElseThrow().nextTick();
    Instant onceFirst = broker.schedules().get(queue, "once").orElseThrow().nextTick();
    Instant allFirst = broker.schedules().get(queue, "all").orElseThrow().nextTick();
    Thread.sleep(16_000); // no scheduler: the first ticks are later than the 10 s grace

    try (Dq.Running run = startRun(queue)) {
      awaitScheduler(run);
      Thread.sleep(3_000);
      for (String policy : List.of("skip", "once", "all")) {
        broker.schedules().pause(queue, policy);
      }
      assertThat(run.terminate()).isZero();
    }

    List<ScheduleEvent> skip = chronological(queue, "skip");
    assertThat(skip.get(0).tick()).isEqualTo(skipFirst);
    assertThat(skip.get(0).outcome()).isEqualTo(FireOutcome.MISSED);
    assertThat(skip.subList(1, skip.size()))
        .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(FireOutcome.FIRED))
        .allSatisfy(e -> assertThat(e.tick()).isAfter(skipFirst.plusSeconds(5)));

    List<ScheduleEvent> once = chronological(queue, "once");
    assertThat(once.get(0).tick()).isEqualTo(onceFirst);
    assertThat(once.get(0).outcome()).isEqualTo(FireOutcome.FIRED);
    assertThat(once).allSatisfy(e -> assertThat(e.outcome()).isEqualTo(FireOutcome.FIRED));
    assertThat(once.get(1).tick()).isAfter(onceFirst.plusSeconds(15)); // the late ones: once

    List<ScheduleEvent> all = chronological(queue, "all");
    Instant last = all.get(all.size() - 1).tick();
    assertThat(all).allSatisfy(e -> assertThat(e.outcome()).isEqualTo(FireOutcome.FIRED));
    assertThat(all.stream().map(e -> "cron:all:" + e.tick().toEpochMilli()).toList())
        .containsExactlyElementsOf(ids("all", allFirst, last.plusSeconds(1)));
    assertThat(all.size()).isGreaterThan(16);
  }
}
