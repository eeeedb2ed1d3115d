package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.limit.Limit;
import dev.dq.core.limit.LimitTarget;
import dev.dq.core.limit.Rate;
import dev.dq.core.task.Task;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Global limits across two real worker processes ({@link LimitedWorkerMain}) on one Redis: a rate
 * limit measured on the claims' server times, and a concurrency limit measured by a probe every
 * handler joins, including after a {@code kill -9} of a process holding permits.
 */
final class LimitedWorkersIT {
  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  private static final String QUEUE = LimitedWorkerMain.QUEUE;
  private static final int TASKS = 120;
  private final List<Worker> workers = new ArrayList<>();

  /** One worker process and the lines it printed. */
  private static final class Worker {
    final Process process;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    Worker(Process process) {
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = in.readLine()) != null) {
                    lines.add(line);
                  }
                } catch (Exception e) {
                  // the process ended
                }
              },
              "worker-reader");
      reader.setDaemon(true);
      reader.start();
    }

    List<String[]> lines(String kind) {
      synchronized (lines) {
        return lines.stream()
            .filter(l -> l.startsWith(kind + " "))
            .map(l -> l.split(" "))
            .collect(Collectors.toList());
      }
    }
  }

  private Worker start(int threads, int prefetch, long leaseMs, long sleepMs) throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LimitedWorkerMain.class.getName(),
                redis.url(),
                Integer.toString(threads),
                Integer.toString(prefetch),
                Long.toString(leaseMs),
                Long.toString(sleepMs))
            .redirectError(
                ProcessBuilder.Redirect.appendTo(
                    Path.of("target", "limited-workers-stderr.log").toFile()))
            .start();
    Worker w = new Worker(p);
    workers.add(w);
    await().atMost(Duration.ofSeconds(60)).until(() -> w.lines.contains("READY"));
    return w;
  }

  @AfterEach
  void stopWorkers() throws Exception {
    for (Worker w : workers) {
      w.process.destroyForcibly();
      w.process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private void enqueue(RedisBroker broker, int n) throws InterruptedException {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(
          Task.builder(LimitedWorkerMain.TYPE)
              .id("t" + i)
              .queue(QUEUE)
              .createdAt(Instant.now())
              .build());
    }
    broker.enqueueAll(tasks, Duration.ofSeconds(10));
  }

  private List<String[]> all(String kind) {
    List<String[]> out = new ArrayList<>();
    workers.forEach(w -> out.addAll(w.lines(kind)));
    return out;
  }

  /**
   * 50/s with burst 5 on a type, 500 tasks, two processes of 8 workers with prefetch 4: in every
   * 1-second window of claim times at most 55 starts; the last start about 9.9 s after the first.
   */
  @Test
  void rate_twoProcesses_everyOneSecondWindowWithinRatePlusBurst() throws Exception {
    redis.flushAll();
    int burst = 5;
    try (RedisBroker broker = RedisBroker.connect(RedisBrokerConfig.builder(redis.url()).build())) {
      broker.setLimit(
          Limit.ofRate(
              LimitTarget.type(LimitedWorkerMain.TYPE),
              new Rate(50, Duration.ofSeconds(1), burst)));
      start(8, 4, 8_000, 1);
      start(8, 4, 8_000, 1);
      enqueue(broker, 500);

      await().atMost(Duration.ofSeconds(60)).until(() -> all("END").size() >= 500);

      List<String[]> claims = all("CLAIM");
      assertThat(claims.stream().map(c -> c[1]).distinct().count()).isEqualTo(500);
      assertThat(claims).hasSize(500);
      assertThat(claims).allSatisfy(c -> assertThat(c[3]).as("attempt of %s", c[1]).isEqualTo("1"));
      List<Long> times = claims.stream().map(c -> Long.parseLong(c[2])).sorted().toList();
      int most = 0;
      for (int i = 0, j = 0; i < times.size(); i++) {
        while (j < times.size() && times.get(j) < times.get(i) + 1_000) {
          j++;
        }
        most = Math.max(most, j - i);
      }
      long span = times.get(times.size() - 1) - times.get(0);
      System.out.printf(
          "rate 50/s burst %d, 2 processes: most starts in a 1 s window %d, first to last %d ms%n",
          burst, most, span);
      assertThat(most).isLessThanOrEqualTo(50 + burst);
      // 500 starts: 1 + burst at once, then one per 20 ms
      assertThat(span).isGreaterThanOrEqualTo((500 - 1 - burst) * 20L - 1);
      assertThat(span).isLessThan(15_000);
      assertThat(broker.stats(QUEUE).ready() + broker.stats(QUEUE).inFlight()).isZero();
    }
  }

  /**
   * Concurrency 3 on a type across two processes of 4 workers (prefetch 1: a prefetched lease holds
   * a permit too, so the probe could not see 3 running otherwise): never more than 3 handlers run;
   * after a kill -9 of the process holding permits, its permits come back when its leases expire,
   * and the other process runs 3 at once again and finishes every task.
   */
  @Test
  void concurrency_twoProcesses_neverExceeded_andRestoredAfterKill9() throws Exception {
    redis.flushAll();
    try (RedisBroker broker = RedisBroker.connect(RedisBrokerConfig.builder(redis.url()).build())) {
      broker.setLimit(Limit.ofConcurrency(LimitTarget.type(LimitedWorkerMain.TYPE), 3));
      Worker victim = start(4, 1, 2_000, 300);
      enqueue(broker, TASKS);
      Worker survivor = start(4, 1, 2_000, 300);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> running(victim) >= 2 && survivor.lines("END").size() >= 1);

      victim.process.destroyForcibly(); // SIGKILL: no settle, its leases stay until they expire
      victim.process.waitFor(30, TimeUnit.SECONDS);
      long victimPid = victim.process.pid();
      Map<String, String> probe = redis.admin().hgetAll(LimitedWorkerMain.RUNNING);
      probe.forEach(
          (id, pid) -> {
            if (pid.equals(Long.toString(victimPid))) {
              redis.admin().hdel(LimitedWorkerMain.RUNNING, id);
            }
          });
      int beginsBefore = survivor.lines("BEGIN").size();

      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> broker.stats(QUEUE).ready() == 0 && broker.stats(QUEUE).inFlight() == 0);

      List<String[]> begins = all("BEGIN");
      int most = begins.stream().mapToInt(b -> Integer.parseInt(b[2])).max().orElse(0);
      int mostAfterKill =
          survivor.lines("BEGIN").stream()
              .skip(beginsBefore)
              .mapToInt(b -> Integer.parseInt(b[2]))
              .max()
              .orElse(0);
      System.out.printf(
          "concurrency 3, 2 processes: most running %d, after kill -9 %d%n", most, mostAfterKill);
      assertThat(most).isLessThanOrEqualTo(3);
      assertThat(mostAfterKill).as("permits restored after the kill").isEqualTo(3);
      List<String> ended =
          survivor.lines("END").stream().map(e -> e[1]).distinct().collect(Collectors.toList());
      victim.lines("END").forEach(e -> ended.add(e[1]));
      assertThat(ended.stream().distinct().count()).as("tasks finished").isEqualTo(TASKS);
      assertThat(all("CLAIM"))
          .allSatisfy(c -> assertThat(c[3]).as("attempt of %s", c[1]).isEqualTo("1"));
    }
  }

  private static int running(Worker w) {
    return w.lines("BEGIN").size() - w.lines("END").size();
  }
}
