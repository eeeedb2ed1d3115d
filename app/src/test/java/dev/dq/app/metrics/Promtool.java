package dev.dq.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code promtool check metrics} (Debian package {@code prometheus}) on an exposition when
 * promtool is installed; callers assert the families and labels themselves as well, so the check
 * still means something without it.
 */
public final class Promtool {
  private Promtool() {}

  public static Optional<Path> find() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Fails the test with promtool's output if it finds a problem; returns whether promtool ran. */
  public static boolean check(String exposition) throws IOException, InterruptedException {
    Optional<Path> promtool = find();
    if (promtool.isEmpty()) {
      System.err.println("promtool not found on PATH: only the metric families were checked");
      return false;
    }
    Process p =
        new ProcessBuilder(promtool.get().toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(p.exitValue()).as("promtool check metrics:%n%s", output).isZero();
    return true;
  }
}
