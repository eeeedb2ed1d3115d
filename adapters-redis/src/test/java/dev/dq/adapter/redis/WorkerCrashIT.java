package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.task.Task;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fault test 1 of issue #3: a worker JVM is killed with kill -9 mid-run. Another consumer must then complete every
 * task; only tasks the dead worker held may run twice.
 */
final class WorkerCrashIT {
  static final int TASKS = 3000;
  static final long LEASE_MS = 2000;
  static TestRedis redis;

  @BeforeAll
  static void startRedis() {
    redis = TestRedis.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @Test
  void workerKilled9_otherConsumerCompletesEverything_duplicatesOnlyFromInFlight() throws Exception {
    redis.flushAll();
    try (RedisBroker producer = redis.broker(100_000)) {
      List<Task> batch = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        batch.add(Task.builder("work").id("t" + i).payload("p").createdAt(Instant.EPOCH).build());
        if (batch.size() == 500) {
          producer.enqueueAll(batch, Duration.ofSeconds(10));
          batch.clear();
        }
      }
    }

    Set<String> taken = ConcurrentHashMap.newKeySet();
    Set<String> doneByVictim = ConcurrentHashMap.newKeySet();
    Process victim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), CrashingWorkerMain.class.getName(), redis.url(), "4",
        Long.toString(LEASE_MS)).redirectErrorStream(true).start();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(victim.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("TAKE ")) {
            taken.add(line.substring(5));
          } else if (line.startsWith("DONE ")) {
            doneByVictim.add(line.substring(5));
          }
        }
      } catch (Exception e) {
        // the process died
      }
    });
    reader.start();
    try {
      await().atMost(Duration.ofMinutes(3)).until(() -> doneByVictim.size() >= TASKS / 3);
    } finally {
      victim.destroyForcibly();
      victim.waitFor(30, TimeUnit.SECONDS);
      reader.join(TimeUnit.SECONDS.toMillis(30));
    }
    long killedAt = System.nanoTime();
    Set<String> inFlightAtKill = new HashSet<>(taken);
    inFlightAtKill.removeAll(doneByVictim);

    try (RedisBroker survivor = redis.broker(100_000); LoadHarness load = new LoadHarness(survivor)) {
      load.workers(4, 0).reaper();
      load.accepted.addAll(allIds());
      await().atMost(Duration.ofMinutes(3)).until(() -> {
        Set<String> all = new HashSet<>(doneByVictim);
        all.addAll(load.completed);
        return all.size() == TASKS;
      });
      long recoveredAt = inFlightAtKill.isEmpty() ? killedAt : awaitCompleted(load, inFlightAtKill);
      load.stop(Duration.ofSeconds(30));

      Set<String> all = new HashSet<>(doneByVictim);
      all.addAll(load.completed);
      Set<String> twice = new HashSet<>(doneByVictim);
      twice.retainAll(load.completed);
      long duplicated = twice.size() + load.duplicated();
      System.out.printf("FAULT worker-jvm-kill9 done by victim=%d in flight at kill=%d%n", doneByVictim.size(),
          inFlightAtKill.size());
      new Figures("worker-jvm-kill9", TASKS, all.size(), 0, TASKS - all.size(), duplicated,
          Duration.ofNanos(recoveredAt - killedAt)).print();
      assertThat(all).hasSize(TASKS);
      assertThat(duplicated).isLessThanOrEqualTo(inFlightAtKill.size());
      assertThat(load.failures).isEmpty();
    }
  }

  private static long awaitCompleted(LoadHarness load, Set<String> ids) {
    await().atMost(Duration.ofMinutes(1)).until(() -> load.completed.containsAll(ids));
    return load.lastCompletionNanos.get();
  }

  private static Set<String> allIds() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < TASKS; i++) {
      ids.add("t" + i);
    }
    return ids;
  }
}
