package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.app.demo.DemoCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the shaded {@code target/dq.jar} the way a user does: a separate JVM, real environment, real
 * signals.
 */
final class DqJarIT {
  private static final Map<String, String> DEMO_ENV =
      Map.of("WORKERS", "3", "TASKS", "10", "MAX_ATTEMPTS", "3");

  private static ProcessBuilder dq(Map<String, String> env, String... args) {
    return Dq.command(env, List.of(), args)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
  }

  private static Dq.Result run(Map<String, String> env, String... args) throws Exception {
    return Dq.run(env, args);
  }

  private static CompletableFuture<String> read(java.io.InputStream in) {
    return Dq.read(in);
  }

  private static long count(String summary, String label) {
    Matcher m = Pattern.compile("(?m)^  " + Pattern.quote(label) + " +(\\d+)").matcher(summary);
    assertThat(m.find()).as("%s in%n%s", label, summary).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void demo_studySettings_processesEveryTaskAndExits0() throws Exception {
    Dq.Result r = run(DEMO_ENV, "demo", "--seed", "1");

    assertThat(r.code()).as("stderr:%n%s", r.err()).isZero();
    assertThat(count(r.out(), "succeeded") + count(r.out(), "dead-lettered")).isEqualTo(10);
    assertThat(r.out()).contains("published      10 of 10", "dead-letter queue (");
    assertThat(r.err())
        .contains("enqueued", "started", "succeeded")
        .doesNotContain("Exception in thread");
  }

  @Test
  void help_exits0() throws Exception {
    Dq.Result r = run(Map.of(), "--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("Usage: dq", "demo");
  }

  @Test
  void version_exits0() throws Exception {
    Dq.Result r = run(Map.of(), "--version");

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("dq ");
  }

  @Test
  void demo_zeroWorkers_exits2WithOneLine() throws Exception {
    Dq.Result r = run(Map.of("WORKERS", "0"), "demo");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().asString().contains("WORKERS", "\"0\"");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void demo_jsonLogs_eachStderrLineIsJsonWithMdc() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(DEMO_ENV);
    env.put("DQ_LOG_FORMAT", "json");

    Dq.Result r = run(env, "demo", "--seed", "2");

    assertThat(r.code()).as("stderr:%n%s", r.err()).isZero();
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : r.err().lines().toList()) {
      lines.add(json.readTree(line));
    }
    assertThat(lines).isNotEmpty().allSatisfy(n -> assertThat(n.isObject()).isTrue());
    assertThat(lines)
        .allSatisfy(
            n -> assertThat(java.time.Instant.parse(n.path("timestamp").asText())).isNotNull());
    List<JsonNode> taskLines = lines.stream().filter(n -> n.has("task_id")).toList();
    assertThat(taskLines)
        .hasSizeGreaterThanOrEqualTo(30); // 10 x (enqueued, started, succeeded or failed)
    assertThat(taskLines)
        .allSatisfy(
            n ->
                assertThat(n.fieldNames())
                    .toIterable()
                    .contains("task_id", "task_type", "queue", "attempt"))
        .allSatisfy(n -> assertThat(n.path("attempt").isInt()).isTrue());
    assertThat(taskLines.stream().filter(n -> n.path("message").asText().startsWith("succeeded")))
        .isNotEmpty()
        .allSatisfy(n -> assertThat(n.fieldNames()).toIterable().contains("worker", "duration_ms"));
    assertThat(taskLines.stream().map(n -> n.path("message").asText()))
        .anyMatch(m -> m.startsWith("enqueued"));
  }

  @Test
  @Timeout(60)
  void demo_interrupted_stopsGracefullyAndPrintsSummary() throws Exception {
    Map<String, String> env = Map.of("WORKERS", "2", "TASKS", "500", "MAX_ATTEMPTS", "3");
    Process p = dq(env, "demo", "--seed", "3").start();
    CompletableFuture<String> out = read(p.getInputStream());
    CountDownLatch working = new CountDownLatch(1);
    StringBuilder err = new StringBuilder();
    Thread errReader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  err.append(line).append('\n');
                  if (line.contains("succeeded")) {
                    working.countDown();
                  }
                }
              } catch (IOException e) {
                // process gone
              }
            });
    errReader.start();
    assertThat(working.await(30, TimeUnit.SECONDS)).as("demo started working").isTrue();

    long start = System.nanoTime();
    interrupt(p);

    assertThat(p.waitFor(DemoCommand.GRACE.plusSeconds(10).toSeconds(), TimeUnit.SECONDS))
        .as("stopped in time")
        .isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(DemoCommand.GRACE.plusSeconds(10));
    errReader.join(5_000);
    String summary = out.get(5, TimeUnit.SECONDS);
    assertThat(summary)
        .as("stderr:%n%s", err)
        .contains("dq demo summary", "unfinished", "dead-letter queue (");
    assertThat(p.exitValue()).as("128 + SIGINT, or + SIGTERM").isIn(130, 143);
  }

  /** SIGINT as Ctrl+C sends it; SIGTERM (same shutdown path) where there is no {@code kill}. */
  private static void interrupt(Process p) throws Exception {
    if (Files.isExecutable(Path.of("/bin/kill")) || Files.isExecutable(Path.of("/usr/bin/kill"))) {
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } else {
      p.toHandle().destroy();
    }
  }
}
