package dev.dq.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.testing.JavaExample;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's "Use with Spring Boot" application with its {@code application.properties}, so
 * the documented setup stays true.
 */
final class SpringReadmeExampleTest {
  @Test
  void readmeSpringExample_compilesAndRuns(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("application.properties"),
        JavaExample.fromReadme("spring-properties", "properties"));
    String source = JavaExample.fromReadme("spring-example", "java");

    String output =
        JavaExample.compileAndRun(dir, "com.example.greeter.GreeterApplication", source);

    assertThat(output)
        .contains("hello, spring")
        .contains("dq worker pool started: 2 workers on queues [default]");
  }
}
