package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.testing.JavaExample;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles the library example in the README against the real modules and runs it, so the README
 * cannot rot.
 */
final class ReadmeExampleTest {
  @Test
  void readmeExample_compilesAndRuns(@TempDir Path dir) throws Exception {
    String source = JavaExample.fromReadme("example", "java");

    assertThat(JavaExample.compileAndRun(dir, "Example", source)).contains("hello, world");
  }
}
