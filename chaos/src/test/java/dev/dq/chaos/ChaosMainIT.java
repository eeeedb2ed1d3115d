package dev.dq.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped jar's command line: its exit code is the verdict, and the check can fail. */
final class ChaosMainIT {
  @TempDir Path dir;

  private Run run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(System.getProperty("dq.chaos.jar"));
    command.addAll(List.of(args));
    Path out = dir.resolve("out.txt");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(dir.resolve("err.txt").toFile())
            .start();
    try {
      assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("dq-chaos finished").isTrue();
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  private record Run(int code, String out) {}

  @Test
  void negativeControl_redisWithoutPersistenceKilled_reportsLostTasksAndExits1() throws Exception {
    Run r = run("--scenario", "redis-kill-nopersist", "--seed", "5", "--dir", dir.toString());

    assertThat(r.code()).isEqualTo(1);
    String row =
        r.out()
            .lines()
            .filter(l -> l.startsWith("| redis-kill-nopersist "))
            .findFirst()
            .orElseThrow();
    String[] cells = row.split("\\|");
    long lost = Long.parseLong(cells[8].replace("*", "").strip());
    assertThat(lost).as("lost tasks in: " + row).isPositive();
    assertThat(row).contains("**FAIL**");
  }

  @Test
  void unknownScenario_exits2NamingIt() throws Exception {
    Run r = run("--scenario", "nope", "--dir", dir.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("err.txt"))).contains("unknown scenario \"nope\"");
  }

  @Test
  void badOption_exits2NamingTheValue() throws Exception {
    Run r = run("--workers", "0", "--dir", dir.toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("err.txt"))).contains("workers must be >= 1: 0");
  }

  @Test
  void list_namesEveryScenario() throws Exception {
    Run r = run("--list");

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("baseline", "worker-kill-at-step", "net-cut-replies", "redis-kill-nopersist");
  }
}
