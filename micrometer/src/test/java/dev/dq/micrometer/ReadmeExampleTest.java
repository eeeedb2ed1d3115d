package dev.dq.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.testing.ReadmeBlocks;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The README's Micrometer example is {@code MicrometerExample.java} of this module's tests, word
 * for word, which the build compiles and this test runs.
 */
final class ReadmeExampleTest {
  @Test
  void readmeExample_isTheCompiledExample_andCountsBothTasks() throws Exception {
    assertThat(ReadmeBlocks.java("micrometer"))
        .isEqualTo(ReadmeBlocks.testSource("MicrometerExample.java"));

    Object enqueued =
        Class.forName("MicrometerExample")
            .getMethod("run", MeterRegistry.class)
            .invoke(null, new SimpleMeterRegistry());

    assertThat(enqueued).isEqualTo(2.0);
  }
}
