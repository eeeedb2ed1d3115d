package dev.dq.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.testing.JavaExample;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's OpenTelemetry example is {@code OpenTelemetryExample.java} of this module's tests,
 * word for word, which the build compiles and this test runs.
 */
final class ReadmeExampleTest {
  @Test
  void readmeExample_isTheCompiledExample_andTracesTheTaskUnderTheRequest() throws Exception {
    assertThat(JavaExample.fromReadme("opentelemetry-example", "java"))
        .isEqualTo(
            Files.readString(
                Path.of(
                    System.getProperty("basedir", "."),
                    "src/test/java/OpenTelemetryExample.java")));
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build()) {
      OpenTelemetry otel = OpenTelemetrySdk.builder().setTracerProvider(provider).build();

      Object traceparent =
          Class.forName("OpenTelemetryExample")
              .getMethod("run", OpenTelemetry.class)
              .invoke(null, otel);

      SpanData process =
          exporter.getFinishedSpanItems().stream()
              .filter(s -> s.getKind() == SpanKind.CONSUMER)
              .findFirst()
              .orElseThrow();
      assertThat((String) traceparent).contains(process.getTraceId());
    }
  }
}
