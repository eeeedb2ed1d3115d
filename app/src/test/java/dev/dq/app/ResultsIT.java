package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Results across processes (issue 13): 1,000 echo tasks run by two {@code dq run} processes; a
 * third JVM ({@link ResultWaiterMain}) awaits every one of them before they run, a fourth after
 * they all ended. Every waiter gets its task's own result, and none waits past its timeout (an
 * unknown id times out on time).
 */
final class ResultsIT extends WithRedis {
  private static final int TASKS = 1_000;
  private static final long TIMEOUT_MS = 60_000;
  private static final long UNKNOWN_TIMEOUT_MS = 1_500;

  @Test
  void thousandResults_twoWorkerProcesses_waitersBeforeAndAfter() throws Exception {
    List<String> ids = new ArrayList<>();
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < TASKS; i++) {
      String id = "res-" + i;
      ids.add(id);
      tasks.add(
          Task.builder("echo")
              .id(id)
              .payload(Payload.ofUtf8("out-" + i))
              .createdAt(Instant.now())
              .build());
    }
    for (int i = 0; i < TASKS; i += 250) {
      broker.enqueueAll(tasks.subList(i, i + 250), Duration.ofSeconds(10));
    }
    Path idFile = Files.createTempFile("dq-results-ids", ".txt");
    Files.write(idFile, ids, StandardCharsets.UTF_8);

    try (Waiter before = Waiter.start(idFile, TIMEOUT_MS)) {
      await().atMost(Dq.PATIENCE).until(() -> before.lines.contains("WAITING"));
      // Paused until both worker processes are up, so that both take a share of the tasks.
      broker.pause(Task.DEFAULT_QUEUE, "ResultsIT", "workers starting", Optional.empty());
      try (Dq.Running a = Dq.Running.start(env("DQ_METRICS_PORT", "0"), "run", "--workers", "4");
          Dq.Running b = Dq.Running.start(env("DQ_METRICS_PORT", "0"), "run", "--workers", "4")) {
        await()
            .atMost(Dq.PATIENCE)
            .until(
                () ->
                    a.hasErrLine(l -> l.contains("worker pool started"))
                        && b.hasErrLine(l -> l.contains("worker pool started")));
        broker.resume(Task.DEFAULT_QUEUE);
        await().atMost(Dq.PATIENCE).until(() -> before.lines.contains("DONE"));
        assertThat(a.terminate()).as("stderr:%n%s", a.errText()).isZero();
        assertThat(b.terminate()).as("stderr:%n%s", b.errText()).isZero();
      }
      Map<String, String[]> byId = assertAllResults(before, "waiters started before the tasks ran");
      assertThat(byId.values().stream().mapToLong(f -> Long.parseLong(f[3])).max().orElse(0))
          .as("the longest wait: they waited while the worker processes started")
          .isGreaterThan(1_000);
      assertThat(byId.values().stream().map(f -> f[4]).distinct())
          .as("workers (host:pid) that ran the tasks")
          .hasSize(2);
    }

    try (Waiter after = Waiter.start(idFile, TIMEOUT_MS)) {
      await().atMost(Dq.PATIENCE).until(() -> after.lines.contains("DONE"));
      Map<String, String[]> byId = assertAllResults(after, "waiters started after the tasks ended");
      assertThat(byId.values())
          .as("answered from the records at once")
          .allSatisfy(f -> assertThat(Long.parseLong(f[3])).isLessThan(5_000));
    }

    Path unknown = Files.createTempFile("dq-results-unknown", ".txt");
    Files.write(unknown, List.of("never-enqueued"), StandardCharsets.UTF_8);
    try (Waiter none = Waiter.start(unknown, UNKNOWN_TIMEOUT_MS)) {
      await().atMost(Dq.PATIENCE).until(() -> none.lines.contains("DONE"));
      String[] f = parse(none).get("never-enqueued");
      assertThat(f[1]).isEqualTo("none");
      assertThat(Long.parseLong(f[3])).isBetween(UNKNOWN_TIMEOUT_MS, UNKNOWN_TIMEOUT_MS + 2_000);
    }
  }

  private static Map<String, String[]> assertAllResults(Waiter w, String who) {
    Map<String, String[]> byId = parse(w);
    assertThat(byId).as(who).hasSize(TASKS);
    for (int i = 0; i < TASKS; i++) {
      String[] f = byId.get("res-" + i);
      assertThat(f).as(who + ": res-" + i).isNotNull();
      assertThat(f[1]).as(who + ": state of res-" + i).isEqualTo("succeeded");
      assertThat(f[2]).as(who + ": result of res-" + i).isEqualTo("out-" + i);
      assertThat(Long.parseLong(f[3])).as(who + ": ms waited").isLessThan(TIMEOUT_MS + 2_000);
    }
    return byId;
  }

  private static Map<String, String[]> parse(Waiter w) {
    Map<String, String[]> byId = new ConcurrentHashMap<>();
    for (String line : w.lines) {
      String[] f = line.split(" ");
      if (f.length == 5) {
        byId.put(f[0], f);
      }
    }
    return byId;
  }

  /** A {@link ResultWaiterMain} process; its stdout lines are collected. */
  private static final class Waiter implements AutoCloseable {
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Process process;

    private Waiter(Process process) {
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                  }
                } catch (java.io.IOException e) {
                  // process gone
                }
              });
      reader.setDaemon(true);
      reader.start();
    }

    static Waiter start(Path ids, long timeoutMs) throws java.io.IOException {
      ProcessBuilder pb =
          new ProcessBuilder(
              Dq.JAVA.toString(),
              "-Xss256k",
              "-cp",
              System.getProperty("java.class.path"),
              ResultWaiterMain.class.getName(),
              redis.url(),
              Task.DEFAULT_QUEUE,
              Long.toString(timeoutMs),
              ids.toString());
      pb.redirectError(ProcessBuilder.Redirect.to(new File("/dev/null")));
      return new Waiter(pb.start());
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }
}
