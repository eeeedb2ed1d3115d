package dev.dq.adapter.redis;

import dev.dq.core.lifecycle.Retention;
import dev.dq.core.lifecycle.Trimmed;
import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.task.Task;
import dev.dq.core.worker.NonRetryableException;
import dev.dq.core.worker.TaskEvent;
import dev.dq.core.worker.TaskEventListener;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.RedisClient;

/**
 * A load run for the memory flatness of retention (not a test, not run in CI; see BENCHMARKS.md):
 * one producer publishes {@code tasks} tasks to queue {@code load} of the Redis at {@code url}, one
 * in ten with a unique key; a worker pool fails every task at once (a dead letter), and its
 * periodic trimmer keeps the queue within a retention of {@code deadMax} dead letters. Prints
 * {@code used_memory} and the key count every 5 s, then checks that nothing of a trimmed task is
 * left.
 *
 * <p>Mode {@code ack}: every task succeeds (a finished record each, written by the ack), so the
 * trimmer keeps {@code DEAD_MAX} finished records.
 *
 * <p>Mode {@code cancel}: the queue is paused and every batch is cancelled right after it was
 * published (a finished record each, written by {@code cancel.lua}), so the trimmer keeps {@code
 * DEAD_MAX} finished records instead.
 *
 * <p>Usage: {@code RetentionLoadMain redis://127.0.0.1:PORT TASKS DEAD_MAX}
 */
public final class RetentionLoadMain {
  private static final String QUEUE = "load";
  private static final int BATCH = 500;

  private RetentionLoadMain() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String url = "redis://127.0.0.1:" + port;
    long total = Long.parseLong(args[1]);
    long deadMax = Long.parseLong(args[2]);
    String mode = args.length > 3 ? args[3] : "dead";
    boolean cancel = mode.equals("cancel");
    boolean ack = mode.equals("ack");
    try (RedisBroker broker =
            RedisBroker.connect(RedisBrokerConfig.builder(url).capacityPerQueue(50_000).build());
        RedisClient admin = RedisClient.create("127.0.0.1", port)) {
      broker.setRetention(
          QUEUE, new Retention(Duration.ofHours(24), deadMax, Duration.ofDays(30), deadMax));
      if (cancel) {
        broker.pause(QUEUE, "load run", "tasks are cancelled, not run", java.util.Optional.empty());
      }
      AtomicLong trimmed = new AtomicLong();
      AtomicLong died = new AtomicLong();
      WorkerPool pool =
          WorkerPool.builder(broker)
              .config(WorkerPoolConfig.builder().workers(8).queue(QUEUE).prefetch(64).build())
              .handler(
                  "load",
                  t -> {
                    if (!ack) {
                      throw new NonRetryableException("load run: every task dies");
                    }
                  })
              .listener(
                  new TaskEventListener() {
                    @Override
                    public void on(TaskEvent e) {
                      if (e instanceof TaskEvent.DeadLettered
                          || (ack && e instanceof TaskEvent.Succeeded)) {
                        died.incrementAndGet();
                      }
                    }

                    @Override
                    public void onTrimmed(String queue, Trimmed t) {
                      trimmed.addAndGet(t.dead() + t.finished());
                    }
                  })
              .build();
      pool.start();
      Thread producer = new Thread(() -> produce(broker, total, cancel ? died : null), "producer");
      producer.start();
      long start = System.nanoTime();
      long peak = 0;
      long first = usedMemory(admin);
      System.out.printf("t_s,used_memory,keys,dead,finished,unique_of,ended,trimmed%n");
      while (producer.isAlive() || died.get() < total) {
        long used = usedMemory(admin);
        peak = Math.max(peak, used);
        System.out.printf(
            "%d,%d,%d,%d,%d,%d,%d,%d%n",
            (System.nanoTime() - start) / 1_000_000_000,
            used,
            admin.dbSize(),
            admin.zcard(RedisKeys.of(QUEUE).dead()),
            admin.zcard(RedisKeys.of(QUEUE).finished()),
            admin.hlen(RedisKeys.of(QUEUE).uniqueOf()),
            died.get(),
            trimmed.get());
        Thread.sleep(5_000);
      }
      producer.join();
      pool.stop(Duration.ofSeconds(10));
      long more = 0;
      for (long n = 1; n > 0; ) { // what the pool's last 10 s did not trim yet
        var t = broker.trim(QUEUE);
        n = t.finished() + t.dead();
        more += n;
      }
      long end = usedMemory(admin);
      System.out.printf(
          "done in %d s: %d tasks ended, %d trimmed by the pool, %d at the end;"
              + " used_memory start %d, peak %d, end %d; keys %d: %s%n",
          (System.nanoTime() - start) / 1_000_000_000,
          died.get(),
          trimmed.get(),
          more,
          first,
          peak,
          end,
          admin.dbSize(),
          admin.keys("*"));
      check(admin, deadMax);
      if (cancel) {
        broker.resume(QUEUE);
      }
    }
  }

  /** Publishes; with {@code cancelled} non-null, cancels each batch at once and counts it there. */
  private static void produce(RedisBroker broker, long total, AtomicLong cancelled) {
    Instant now = Instant.now();
    try {
      for (long i = 0; i < total; i += BATCH) {
        List<Task> batch = new ArrayList<>(BATCH);
        for (long j = i; j < Math.min(total, i + BATCH); j++) {
          Task t = Task.builder("load").id("t" + j).queue(QUEUE).createdAt(now).build();
          if (j % 10 == 0) {
            broker.enqueueUnique(
                t, UniqueKey.untilDone("k" + j), Duration.ZERO, Duration.ofMinutes(1));
          } else {
            batch.add(t);
          }
        }
        broker.enqueueAll(batch, Duration.ofMinutes(1));
        if (cancelled != null) {
          for (long j = i; j < Math.min(total, i + BATCH); j++) {
            if (broker.cancel(QUEUE, new dev.dq.core.task.TaskId("t" + j))
                == dev.dq.core.lifecycle.CancelOutcome.CANCELLED) {
              cancelled.incrementAndGet();
            }
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long usedMemory(RedisClient admin) {
    for (String line : admin.info("memory").split("\r?\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()).strip());
      }
    }
    return -1;
  }

  /**
   * Every hash of the queue holds only kept ids (dead letters, finished records); the unique keys
   * name only kept ids.
   */
  private static void check(RedisClient admin, long deadMax) {
    RedisKeys k = RedisKeys.of(QUEUE);
    Set<String> dead = new HashSet<>(admin.zrange(k.dead(), 0, -1));
    List<String> problems = new ArrayList<>();
    if (dead.size() > deadMax) {
      problems.add("dead " + dead.size() + " > " + deadMax);
    }
    Set<String> finished = new HashSet<>(admin.zrange(k.finished(), 0, -1));
    if (finished.size() > deadMax) {
      problems.add("finished " + finished.size() + " > " + deadMax);
    }
    Set<String> kept = new HashSet<>(dead);
    kept.addAll(finished);
    for (String id : admin.hkeys(k.records())) {
      if (!finished.contains(id)) {
        problems.add(k.records() + " holds " + id);
      }
    }
    for (String hash : List.of(k.tasks(), k.attempts(), k.failures(), k.priorities())) {
      for (String id : admin.hkeys(hash)) {
        if (!dead.contains(id)) {
          problems.add(hash + " holds " + id);
        }
      }
    }
    for (String id : admin.hkeys(k.uniqueOf())) {
      if (!kept.contains(id)) {
        problems.add(k.uniqueOf() + " holds " + id);
      }
    }
    Map<String, String> unique = admin.hgetAll(k.unique());
    unique.forEach(
        (key, id) -> {
          if (!kept.contains(id)) {
            problems.add(k.unique() + "[" + key + "] names " + id);
          }
        });
    System.out.printf(
        "check: %d finished, %d records, %d dead, %d tasks, %d failures, %d unique, %d unique-of, %d ready, %d delayed: %s%n",
        finished.size(),
        admin.hlen(k.records()),
        dead.size(),
        admin.hlen(k.tasks()),
        admin.hlen(k.failures()),
        unique.size(),
        admin.hlen(k.uniqueOf()),
        admin.llen(k.ready()),
        admin.zcard(k.delayed()),
        problems.isEmpty()
            ? "nothing of a trimmed task is left"
            : problems.subList(0, Math.min(10, problems.size())));
  }
}
