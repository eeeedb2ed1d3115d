package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cancel across real {@code dq run} processes on one private Redis, with the built-in {@code sleep}
 * handler: running tasks spread over two processes are all settled as cancelled soon after their
 * cancel's reply (the worst delay is printed; the 2 s figure is checked against it) and
 * none is retried; a task whose worker process is stopped (SIGSTOP) when it is cancelled still ends
 * as cancelled once the process goes on, also when its lease expired meanwhile. What happened is
 * read from the queue's keys ({@code records}, {@code tasks}) and the processes' event lines.
 */
final class CancelIT extends WithRedis {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Dq.Running startRun(String queue, int workers, String leaseTime) throws Exception {
    return Dq.Running.start(
        env("DQ_METRICS_PORT", "0"),
        "run",
        "--queue",
        queue,
        "--workers",
        Integer.toString(workers),
        "--prefetch",
        "1",
        "--lease-time",
        leaseTime);
  }

  private static long lines(Dq.Running run, String text) {
    return run.err.stream().filter(l -> l.contains(text)).count();
  }

  private static void signal(Dq.Running run, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(run.pid())).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }

  private void enqueueSleeps(String queue, String prefix, int n) throws InterruptedException {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(
          Task.builder("sleep")
              .queue(queue)
              .id(prefix + i)
              .payload("60s")
              .createdAt(Instant.now())
              .build());
    }
    broker.enqueueAll(tasks, Duration.ZERO);
  }

  /** The record of a finished task, read from the queue's {@code records} hash, or null. */
  private static JsonNode record(String queue, String id) throws Exception {
    String json = redis.admin().hget("dq:{" + queue + "}:records", id);
    return json == null ? null : JSON.readTree(json);
  }

  @Test
  void hundredRunningTasksOnTwoProcesses_allInterruptedWithin2s_noneRetried() throws Exception {
    String queue = "cancelq";
    int n = 100;
    enqueueSleeps(queue, "s", n);
    try (Dq.Running a = startRun(queue, 50, "10s");
        Dq.Running b = startRun(queue, 50, "10s")) {
      await()
          .atMost(Dq.PATIENCE)
          .until(() -> lines(a, "started after") + lines(b, "started after") == n);
      assertThat(lines(a, "started after")).isPositive();
      assertThat(lines(b, "started after")).isPositive();

      Map<String, Long> repliedAt = new java.util.HashMap<>();
      for (int i = 0; i < n; i++) {
        CancelOutcome outcome = broker.cancel(queue, new TaskId("s" + i));
        repliedAt.put("s" + i, System.currentTimeMillis());
        assertThat(outcome).isEqualTo(CancelOutcome.REQUESTED);
      }

      await()
          .atMost(Dq.PATIENCE)
          .until(() -> redis.admin().hlen("dq:{" + queue + "}:records") == n);
      long worst = 0;
      for (int i = 0; i < n; i++) {
        JsonNode rec = record(queue, "s" + i);
        assertThat(rec.path("state").asText()).isEqualTo("cancelled");
        assertThat(rec.path("attempt").asInt()).isEqualTo(1);
        worst = Math.max(worst, rec.path("finished_at_ms").asLong() - repliedAt.get("s" + i));
      }
      System.out.printf(
          "CancelIT: %d running tasks on 2 processes, the last settled as cancelled %d ms after"
              + " its cancel's reply%n",
          n, worst);
      // The figure reported for the issue is the printed one; the bound here only catches a cancel
      // that waits for something else (a lease expiry, a retry), not a slow, shared CI machine.
      assertThat(worst).isLessThan(5_000);
      await()
          .atMost(Dq.PATIENCE)
          .until(
              () -> lines(a, "cancelled; the delivery") + lines(b, "cancelled; the delivery") == n);
      Thread.sleep(1_000); // a retry would start again now: none may
      assertThat(lines(a, "started after") + lines(b, "started after")).isEqualTo(n);
      assertThat(lines(a, "failed:") + lines(b, "failed:")).isZero();
      assertThat(redis.admin().hlen("dq:{" + queue + "}:tasks")).isZero();
      assertThat(broker.stats(queue).inFlight()).isZero();
      assertThat(a.terminate()).as("stderr:%n%s", a.errText()).isZero();
      assertThat(b.terminate()).as("stderr:%n%s", b.errText()).isZero();
    }
  }

  @Test
  void workerStoppedWhenCancelled_endsCancelledAfterCont_alsoWhenItsLeaseExpired()
      throws Exception {
    String queue = "stopq";
    try (Dq.Running run = startRun(queue, 1, "3s")) {
      // Short stop: the lease outlives it, and the worker's check settles the task as cancelled.
      enqueueSleeps(queue, "short", 1);
      await().atMost(Dq.PATIENCE).until(() -> lines(run, "started after") == 1);
      signal(run, "-STOP");
      assertThat(broker.cancel(queue, new TaskId("short0"))).isEqualTo(CancelOutcome.REQUESTED);
      Thread.sleep(500);
      assertThat(record(queue, "short0")).isNull(); // nobody could act on it yet
      signal(run, "-CONT");
      await().atMost(Dq.PATIENCE).until(() -> record(queue, "short0") != null);
      assertThat(record(queue, "short0").path("state").asText()).isEqualTo("cancelled");

      // Long stop: the lease expires meanwhile; whoever comes first (the worker's check, refused
      // now, or a reaper) must still end it as cancelled, never ready again.
      enqueueSleeps(queue, "long", 1);
      await().atMost(Dq.PATIENCE).until(() -> lines(run, "started after") == 2);
      signal(run, "-STOP");
      assertThat(broker.cancel(queue, new TaskId("long0"))).isEqualTo(CancelOutcome.REQUESTED);
      Thread.sleep(4_000); // past the 3 s lease
      signal(run, "-CONT");
      await().atMost(Dq.PATIENCE).until(() -> record(queue, "long0") != null);
      assertThat(record(queue, "long0").path("state").asText()).isEqualTo("cancelled");
      Thread.sleep(1_000);
      assertThat(lines(run, "started after")).isEqualTo(2); // not run again
      assertThat(redis.admin().hlen("dq:{" + queue + "}:tasks")).isZero();
      assertThat(run.terminate()).as("stderr:%n%s", run.errText()).isZero();
    }
  }
}
