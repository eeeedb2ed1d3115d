package dev.dq.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.testing.JavaExample;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's Micrometer example is {@code MicrometerExample.java} of this module's tests, word
 * for word, which the build compiles and this test runs.
 */
final class ReadmeExampleTest {
  @Test
  void readmeExample_isTheCompiledExample_andCountsBothTasks() throws Exception {
    assertThat(JavaExample.fromReadme("micrometer-example", "java"))
        .isEqualTo(
            Files.readString(
                Path.of(
                    System.getProperty("basedir", "."), "src/test/java/MicrometerExample.java")));

    Object enqueued =
        Class.forName("MicrometerExample")
            .getMethod("run", MeterRegistry.class)
            .invoke(null, new SimpleMeterRegistry());

    assertThat(enqueued).isEqualTo(2.0);
  }
}
