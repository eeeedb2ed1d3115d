package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code dq --version} of the real jar names the version and the commit the jar was built from. */
final class VersionIT {

  @Test
  void version_namesTheCommitTheJarWasBuiltFrom() throws Exception {
    Dq.Result r = Dq.run(Map.of(), "--version");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(2);
    assertThat(r.out().lines().findFirst())
        .hasValueSatisfying(l -> assertThat(l).startsWith("dq "));
    String commitLine = r.out().lines().skip(1).findFirst().orElseThrow();
    Optional<String> head = gitHead();
    if (head.isPresent()) {
      assertThat(commitLine).matches("commit " + Pattern.quote(head.get()) + "(-dirty)?");
    } else {
      assertThat(commitLine).isEqualTo("commit unknown");
    }
  }

  /** The commit checked out where this build runs, or empty outside a git checkout. */
  private static Optional<String> gitHead() throws InterruptedException {
    Path basedir = Path.of(System.getProperty("basedir", "."));
    try {
      Process git =
          new ProcessBuilder("git", "rev-parse", "HEAD")
              .directory(basedir.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(git.waitFor(30, TimeUnit.SECONDS)).as("git rev-parse finished").isTrue();
      return git.exitValue() == 0 ? Optional.of(out) : Optional.empty();
    } catch (IOException noGit) {
      return Optional.empty();
    }
  }
}
