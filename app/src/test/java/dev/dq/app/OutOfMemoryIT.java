package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.task.Task;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis at {@code maxmemory} refuses new work; {@code dq publish} used to call that "broker
 * unavailable". It must say that Redis is out of memory and how to fix it.
 */
final class OutOfMemoryIT extends WithRedis {

  @AfterEach
  void liftTheLimit() {
    redis.dropFillers();
    redis.liftMemoryLimit();
  }

  @Test
  void publish_redisAtMaxmemory_exits1WithALineNamingMemoryAndTheFix() throws Exception {
    redis.runOutOfMemory();

    Dq.Result r = Dq.run(env(), "publish", "--type", "echo", "--payload", "hi", "--timeout", "1s");

    assertThat(r.code()).as("stderr: %s", r.err()).isEqualTo(1);
    String line =
        r.err()
            .lines()
            .filter(l -> l.startsWith("dq: "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no dq: line in\n" + r.err()));
    assertThat(line)
        .contains("lack of memory", "maxmemory", "noeviction", "nothing was published")
        .doesNotContain("broker unavailable");
    assertThat(r.out()).isEmpty();
    redis.dropFillers();
    assertThat(broker.stats("default").ready()).isZero();
  }

  /**
   * Workers do not crash on refused claims: they log the reason, back off, and go on once memory is
   * freed.
   */
  @Test
  void run_redisAtMaxmemory_logsWhyAndResumesOnceMemoryIsFreed() throws Exception {
    for (int i = 0; i < 5; i++) {
      broker.enqueue(
          Task.builder("echo").id("m-" + i).payload("hi").createdAt(Instant.now()).build(),
          Duration.ofSeconds(5));
    }
    redis.runOutOfMemory();

    try (Dq.Running run = Dq.Running.start(env("DQ_METRICS_PORT", "0"), "run", "--workers", "2")) {
      await().atMost(Dq.PATIENCE).until(() -> run.hasErrLine(l -> l.contains("lack of memory")));
      assertThat(broker.stats("default").ready()).as("no claim got through").isEqualTo(5);

      redis.dropFillers();

      await()
          .atMost(Dq.PATIENCE)
          .until(() -> broker.stats("default").ready() + broker.stats("default").inFlight() == 0);
      assertThat(run.terminate()).as("stderr:%n%s", run.errText()).isZero();
      assertThat(run.err.stream().filter(l -> l.contains("succeeded"))).hasSize(5);
    }
  }
}
