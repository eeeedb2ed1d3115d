package dev.dq.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.testing.JavaExample;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
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

  /**
   * The same application without the optional libraries (Micrometer, OpenTelemetry, Boot's health
   * support) on its class path: the starter must not link to them unless they are there.
   */
  @Test
  void readmeSpringExample_runsWithoutTheOptionalLibraries(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("application.properties"),
        JavaExample.fromReadme("spring-properties", "properties"));
    List<String> optional =
        List.of(
            "micrometer-core",
            "micrometer-registry",
            "spring-boot-micrometer",
            "opentelemetry-",
            "spring-boot-health",
            "/micrometer/target/",
            "/opentelemetry/target/");
    String classpath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> optional.stream().noneMatch(entry::contains))
            .collect(Collectors.joining(File.pathSeparator));
    assertThat(classpath).doesNotContain("opentelemetry-api").contains("spring-boot-autoconfigure");

    String output =
        JavaExample.compileAndRun(
            dir,
            "com.example.greeter.GreeterApplication",
            JavaExample.fromReadme("spring-example", "java"),
            classpath);

    assertThat(output).contains("hello, spring");
  }
}
