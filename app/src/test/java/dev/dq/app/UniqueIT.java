package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code dq publish} with unique keys, run as a user runs it: the hit message, and four producer
 * processes racing on the same 1,000 keys.
 */
final class UniqueIT extends WithRedis {
  private static final int KEYS = 1_000;
  private static final int PRODUCERS = 4;

  @Test
  void publish_uniqueKeyHeld_printsTheHoldersId_saysSo_exitsZero() throws Exception {
    Dq.Result first = Dq.run(env(), "publish", "--type", "echo", "--unique-key", "invoice:42");
    Dq.Result second =
        Dq.run(
            env(), "publish", "--type", "echo", "--unique-key", "invoice:42", "--unique-for", "1h");

    assertThat(first.code()).as("stderr: %s", first.err()).isZero();
    assertThat(first.err()).isEmpty();
    assertThat(second.code()).as("stderr: %s", second.err()).isZero();
    assertThat(second.out().strip()).isEqualTo(first.out().strip());
    assertThat(second.err().strip())
        .isEqualTo(
            "task "
                + first.out().strip()
                + " already holds unique key invoice:42; nothing enqueued");
    assertThat(broker.stats("default").ready()).isEqualTo(1);
  }

  @Test
  void publish_uniqueKeyMisused_usageErrors() throws Exception {
    Dq.Result count =
        Dq.run(env(), "publish", "--type", "echo", "--unique-key", "k", "--count", "2");
    Dq.Result tooLong = Dq.run(env(), "publish", "--type", "echo", "--unique-key", "x".repeat(257));
    Dq.Result both =
        Dq.run(
            env(),
            "publish",
            "--type",
            "echo",
            "--unique-key",
            "k",
            "--unique-for",
            "1m",
            "--unique-until",
            "done");

    assertThat(count.code()).isEqualTo(2);
    assertThat(count.err()).contains("--count 2");
    assertThat(tooLong.code()).isEqualTo(2);
    assertThat(tooLong.err()).contains("x".repeat(257));
    assertThat(both.code()).isEqualTo(2);
    assertThat(keysOtherThanTheDataModelMark()).isZero();
  }

  /**
   * Four processes publish the same 1,000 keys at once: every process prints the same id per key,
   * exactly 1,000 tasks run, and once they have (until done), the keys take 1,000 new tasks.
   */
  @Test
  void fourProducers_sameKeys_eachKeyRunsOnce_thenTheKeysAreFreeAgain() throws Exception {
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < KEYS; i++) {
      lines.append("{\"type\":\"echo\",\"payload\":\"").append(i);
      lines.append("\",\"unique_key\":\"key-").append(i).append("\"}\n");
    }
    byte[] stdin = lines.toString().getBytes(StandardCharsets.UTF_8);

    List<Dq.Result> round1 = publishConcurrently(stdin, PRODUCERS);

    List<String> ids = round1.get(0).out().lines().toList();
    assertThat(ids).hasSize(KEYS).doesNotHaveDuplicates();
    long hits = 0;
    for (Dq.Result r : round1) {
      assertThat(r.code()).as("stderr: %s", r.err()).isZero();
      assertThat(r.out().lines().toList()).as("the holder of each key").isEqualTo(ids);
      hits += r.err().lines().filter(l -> l.endsWith("; nothing enqueued")).count();
    }
    assertThat(hits).isEqualTo((long) KEYS * (PRODUCERS - 1));
    assertThat(broker.stats("default").ready()).isEqualTo(KEYS);

    Map<String, AtomicInteger> ran = runAll(KEYS);
    assertThat(ran.keySet()).isEqualTo(new HashSet<>(ids));
    assertThat(ran.values()).allMatch(n -> n.get() == 1);

    Dq.Result round2 = Dq.runWithInput(List.of(), env(), stdin, "publish");
    assertThat(round2.code()).as("stderr: %s", round2.err()).isZero();
    assertThat(round2.err()).isEmpty();
    Set<String> again = new HashSet<>(round2.out().lines().toList());
    assertThat(again).hasSize(KEYS).doesNotContainAnyElementsOf(ids);
    assertThat(broker.stats("default").ready()).isEqualTo(KEYS);
  }

  private static List<Dq.Result> publishConcurrently(byte[] stdin, int processes) throws Exception {
    List<Process> started = new ArrayList<>();
    List<CompletableFuture<String>> outs = new ArrayList<>();
    List<CompletableFuture<String>> errs = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      Process p = Dq.command(env(), List.of(), "publish").start();
      started.add(p);
      outs.add(Dq.read(p.getInputStream()));
      errs.add(Dq.read(p.getErrorStream()));
    }
    for (Process p : started) { // every JVM is up and reading before any line arrives
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin);
      }
    }
    List<Dq.Result> results = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      Process p = started.get(i);
      assertThat(p.waitFor(Dq.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
      results.add(
          new Dq.Result(
              p.exitValue(),
              outs.get(i).get(10, TimeUnit.SECONDS),
              errs.get(i).get(10, TimeUnit.SECONDS)));
    }
    return results;
  }

  /** Runs a pool on the queue until {@code expected} tasks ran; how often each id ran. */
  private Map<String, AtomicInteger> runAll(int expected) throws Exception {
    Map<String, AtomicInteger> ran = new ConcurrentHashMap<>();
    AtomicInteger total = new AtomicInteger();
    WorkerPool pool =
        WorkerPool.builder(broker)
            .config(WorkerPoolConfig.builder().workers(4).build())
            .handler(
                "echo",
                t -> {
                  ran.computeIfAbsent(t.id().value(), k -> new AtomicInteger()).incrementAndGet();
                  total.incrementAndGet();
                })
            .build();
    pool.start();
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> total.get() >= expected);
      await().atMost(Duration.ofSeconds(30)).until(() -> broker.stats("default").inFlight() == 0);
    } finally {
      pool.stop(Duration.ofSeconds(5));
    }
    return ran;
  }
}
