package dev.dq.adapter.redis;

import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.ops.RunningTask;
import dev.dq.core.ops.TaskPage;
import dev.dq.core.ops.WorkerStatus;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A timing run for the dashboard's reads (not a test, not run in CI; see BENCHMARKS.md): fills
 * queue {@code browse} of the Redis at {@code port} with {@code tasks} ready tasks (one in ten at
 * priority 7), registers {@code workers} worker processes with 8 running tasks each, then times 100
 * calls each of a READY page (first, middle and last page), a DEAD page of an empty listing and
 * {@code list()} of the workers, and prints the median and the slowest.
 *
 * <p>Usage: {@code OpsReadMain PORT TASKS WORKERS PAGE_SIZE}
 */
public final class OpsReadMain {
  private static final String QUEUE = "browse";
  private static final int BATCH = 500;
  private static final int RUNS = 100;

  private OpsReadMain() {}

  public static void main(String[] args) throws Exception {
    String url = "redis://127.0.0.1:" + Integer.parseInt(args[0]);
    long tasks = Long.parseLong(args[1]);
    int workers = Integer.parseInt(args[2]);
    int pageSize = Integer.parseInt(args[3]);
    try (RedisBroker broker =
        RedisBroker.connect(
            RedisBrokerConfig.builder(url).capacityPerQueue((int) tasks + 1).build())) {
      long began = System.nanoTime();
      Instant now = Instant.now();
      List<Task> batch = new ArrayList<>(BATCH);
      for (long i = 0; i < tasks; i++) {
        batch.add(
            Task.builder("work")
                .id("t" + i)
                .queue(QUEUE)
                .priority(i % 10 == 0 ? 7 : 5)
                .createdAt(now)
                .payload("{\"n\":" + i + "}")
                .build());
        if (batch.size() == BATCH || i == tasks - 1) {
          broker.enqueueAll(batch, Duration.ofSeconds(30));
          batch.clear();
        }
      }
      System.out.printf(
          Locale.ROOT, "filled %d tasks in %.1f s%n", tasks, (System.nanoTime() - began) / 1e9);
      for (int w = 0; w < workers; w++) {
        List<RunningTask> running = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
          running.add(new RunningTask(QUEUE, new TaskId("t" + (w * 8 + r))));
        }
        broker.heartbeat(
            new WorkerStatus(
                "host-" + w + ":" + (1000 + w) + ":abcd1234",
                "host-" + w,
                1000 + w,
                "0.1.0",
                List.of(QUEUE, "default"),
                8,
                8,
                now,
                running),
            Duration.ofMinutes(5));
      }
      long middle = tasks / 2;
      long last = Math.max(0, tasks - pageSize);
      time("READY page at offset 0", () -> broker.list(QUEUE, TaskState.READY, 0, pageSize));
      time(
          "READY page at offset " + middle,
          () -> broker.list(QUEUE, TaskState.READY, middle, pageSize));
      time(
          "READY page at offset " + last,
          () -> broker.list(QUEUE, TaskState.READY, last, pageSize));
      time("DEAD page (empty listing)", () -> broker.list(QUEUE, TaskState.DEAD, 0, pageSize));
      time("workers list() of " + workers, broker::list);
      TaskPage check = broker.list(QUEUE, TaskState.READY, last, pageSize);
      System.out.printf(
          Locale.ROOT,
          "check: total %d, last page %d tasks, last id %s%n",
          check.total(),
          check.tasks().size(),
          check.tasks().get(check.tasks().size() - 1).id().value());
    }
  }

  private static void time(String what, Supplier<?> call) {
    for (int i = 0; i < 10; i++) {
      call.get(); // warm-up
    }
    long[] nanos = new long[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long t0 = System.nanoTime();
      call.get();
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    System.out.printf(
        Locale.ROOT,
        "%-40s median %.2f ms, slowest %.2f ms%n",
        what,
        nanos[RUNS / 2] / 1e6,
        nanos[RUNS - 1] / 1e6);
  }
}
