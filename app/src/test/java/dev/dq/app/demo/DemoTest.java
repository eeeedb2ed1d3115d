package dev.dq.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class DemoTest {
  private static final long SEED = 42;
  private static final int TASKS = 10;
  private static final int MAX_ATTEMPTS = 3;

  /** Runs the real command, with the real wiring, in this JVM; returns stdout. */
  private static String runDemo() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env =
        Map.of("WORKERS", "3", "TASKS", "" + TASKS, "MAX_ATTEMPTS", "" + MAX_ATTEMPTS);

    int code =
        Main.run(
            new String[] {"demo", "--seed", "" + SEED},
            env,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).as("exit code; stderr: %s", err).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static long count(String summary, String label) {
    Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(label) + " +(\\d+)").matcher(summary);
    assertThat(m.find()).as("%s in%n%s", label, summary).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  @Timeout(60)
  void demo_fixedSeed_everyTaskSucceedsOrIsDeadAndCountsMatchTheSeed() {
    String summary = runDemo();

    // What the seed decides, computed without running anything: the same function the handlers use.
    long expectedDead = 0;
    long expectedRetries = 0;
    for (int n = 1; n <= TASKS; n++) {
      int attempt = 1;
      while (SimulatedWork.outcome(SEED, "demo-" + n, attempt).fails() && attempt < MAX_ATTEMPTS) {
        attempt++;
        expectedRetries++;
      }
      if (SimulatedWork.outcome(SEED, "demo-" + n, attempt).fails()) {
        expectedDead++;
      }
    }
    long succeeded = count(summary, "succeeded");
    long dead = count(summary, "dead-lettered");
    assertThat(succeeded + dead).isEqualTo(TASKS);
    assertThat(dead).isEqualTo(expectedDead);
    assertThat(count(summary, "retried")).isEqualTo(expectedRetries);
    assertThat(summary)
        .contains("published      10 of 10", "seed           42")
        .doesNotContain("unfinished");
    assertThat(summary).contains("dead-letter queue (" + dead + ")");
    assertThat(
            summary.lines().filter(l -> l.matches("  demo-\\d+  (email|resize)  attempts=3  .*")))
        .hasSize((int) dead);
  }

  @Test
  void outcome_sameSeed_isReproducible() {
    for (int attempt = 1; attempt <= 3; attempt++) {
      assertThat(SimulatedWork.outcome(7, "demo-1", attempt))
          .isEqualTo(SimulatedWork.outcome(7, "demo-1", attempt));
    }
    long failures = 0;
    for (int n = 0; n < 10_000; n++) {
      SimulatedWork.Outcome o = SimulatedWork.outcome(7, "demo-" + n, 1);
      assertThat(o.millis()).isBetween(20L, 200L);
      failures += o.fails() ? 1 : 0;
    }
    assertThat(failures).isBetween(2_700L, 3_300L);
  }
}
