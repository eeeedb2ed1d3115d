package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import dev.dq.core.worker.TaskEvent;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker JVM running the real {@link WorkerPool} (default lease time and reap interval) is killed
 * with kill -9 mid-run. A second pool must then complete every task; only tasks whose lease the
 * dead worker held may run twice, and those it was running come back within the lease time plus one
 * reap interval.
 */
final class WorkerCrashIT {
  static final String TYPE = "work";
  static final int TASKS = 3000;
  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  @Test
  void defaults_redeliverADeadWorkersTasksWithin10Seconds() {
    WorkerPoolConfig defaults = WorkerPoolConfig.builder().build();

    // A heartbeat may renew a lease just before the death, so it expires at most leaseTime later;
    // the next reap
    // follows within reapInterval and wakes a waiting worker at once.
    assertThat(defaults.leaseTime().plus(defaults.reapInterval()))
        .isLessThanOrEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void workerKilled9_otherPoolCompletesEverything_duplicatesOnlyFromInFlight() throws Exception {
    redis.flushAll();
    enqueueAll();
    Set<String> taken = ConcurrentHashMap.newKeySet();
    Set<String> doneByVictim = ConcurrentHashMap.newKeySet();
    Set<String> ackedByVictim = ConcurrentHashMap.newKeySet();
    Process victim =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashingWorkerMain.class.getName(),
                redis.url(),
                "4")
            .redirectErrorStream(true)
            .start();
    Thread reader =
        new Thread(() -> readVictim(victim, taken, doneByVictim, ackedByVictim), "victim-reader");
    reader.start();
    try {
      await().atMost(Duration.ofMinutes(3)).until(() -> ackedByVictim.size() >= TASKS / 3);
    } finally {
      victim.destroyForcibly();
      victim.waitFor(30, TimeUnit.SECONDS);
      reader.join(TimeUnit.SECONDS.toMillis(30));
    }
    long killedAt = System.nanoTime();
    Set<String> heldAtKill =
        minus(taken, ackedByVictim); // leases held whose settlement nobody confirmed
    Set<String> runningAtKill = minus(taken, doneByVictim); // handlers cut short: must run again

    Map<String, Long> ackedBySurvivor = new ConcurrentHashMap<>();
    AtomicLong survivorRuns = new AtomicLong();
    try (RedisBroker survivor = redis.broker(100_000)) {
      WorkerPool pool =
          WorkerPool.builder(survivor)
              .config(WorkerPoolConfig.builder().workers(8).build())
              .handler(
                  TYPE,
                  task -> {
                    survivorRuns.incrementAndGet();
                    Thread.sleep(ThreadLocalRandom.current().nextLong(5, 51));
                  })
              .listener(
                  event -> {
                    if (event instanceof TaskEvent.Succeeded s) {
                      ackedBySurvivor.putIfAbsent(s.task().id().value(), System.nanoTime());
                    }
                  })
              .build();
      pool.start();
      try {
        await()
            .atMost(Duration.ofMinutes(3))
            .until(
                () ->
                    union(doneByVictim, ackedBySurvivor.keySet()).size() == TASKS
                        && survivor.stats(Task.DEFAULT_QUEUE).equals(emptyStats()));
      } finally {
        pool.stop(Duration.ofSeconds(30));
      }
      long recoveredAt =
          runningAtKill.stream()
              .mapToLong(id -> ackedBySurvivor.getOrDefault(id, killedAt))
              .max()
              .orElse(killedAt);

      Set<String> completed = union(doneByVictim, ackedBySurvivor.keySet());
      Set<String> twice = new HashSet<>(doneByVictim);
      twice.retainAll(ackedBySurvivor.keySet());
      long duplicated = twice.size() + (survivorRuns.get() - ackedBySurvivor.size());
      long dead = survivor.deadLetterQueue().size(Task.DEFAULT_QUEUE);
      System.out.printf(
          "FAULT worker-jvm-kill9 (WorkerPool) acked by victim=%d in flight at kill=%d "
              + "(handlers running=%d)%n",
          ackedByVictim.size(), heldAtKill.size(), runningAtKill.size());
      new Figures(
              "worker-jvm-kill9",
              TASKS,
              completed.size(),
              dead,
              TASKS - completed.size(),
              duplicated,
              Duration.ofNanos(recoveredAt - killedAt))
          .print();
      assertThat(completed).hasSize(TASKS);
      assertThat(ackedBySurvivor.keySet()).containsAll(runningAtKill);
      assertThat(dead).isZero();
      assertThat(duplicated).isLessThanOrEqualTo(heldAtKill.size());
    }
  }

  private static void enqueueAll() throws InterruptedException {
    try (RedisBroker producer = redis.broker(100_000)) {
      List<Task> batch = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        batch.add(Task.builder(TYPE).id("t" + i).payload("p").createdAt(Instant.EPOCH).build());
        if (batch.size() == 500) {
          producer.enqueueAll(batch, Duration.ofSeconds(30));
          batch.clear();
        }
      }
    }
  }

  private static void readVictim(
      Process victim, Set<String> taken, Set<String> done, Set<String> acked) {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(victim.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("TAKE ")) {
          taken.add(line.substring(5));
        } else if (line.startsWith("DONE ")) {
          done.add(line.substring(5));
        } else if (line.startsWith("ACK ")) {
          acked.add(line.substring(4));
        }
      }
    } catch (Exception e) {
      // the process died
    }
  }

  private static QueueStats emptyStats() {
    return new QueueStats(Task.DEFAULT_QUEUE, 0, 0, 0);
  }

  private static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.removeAll(b);
    return out;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.addAll(b);
    return out;
  }
}
