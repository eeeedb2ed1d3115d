package dev.dq.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.client.DqClient;
import dev.dq.core.client.EnqueueOptions;
import dev.dq.core.client.TaskRef;
import dev.dq.core.client.TypedHandler;
import dev.dq.micrometer.DqMetrics;
import dev.dq.opentelemetry.DqTracing;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter registers dq's Micrometer binder and OpenTelemetry tracing when they are present. */
final class DqObservabilityTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(DqAutoConfiguration.class, MetricsAutoConfiguration.class))
          .withPropertyValues("dq.worker.shutdown-grace=200ms")
          .withBean(
              "echo",
              TypedHandler.class,
              () -> TypedHandler.of("echo", String.class, (text, task) -> text));

  @Test
  void springBindsTheBinder_soThePrometheusScrapeShowsDqRunsFamilies() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    runner
        .withBean(PrometheusMeterRegistry.class, () -> registry)
        .run(
            ctx -> {
              assertThat(ctx).hasSingleBean(DqMetrics.class);
              DqClient client = ctx.getBean(DqClient.class);
              TaskRef ref = client.enqueue("echo", "hi");
              assertThat(client.result(ref, WAIT, String.class)).contains("hi");

              String scrape = registry.scrape();
              assertThat(scrape)
                  .contains("dq_tasks_enqueued_total{queue=\"default\",type=\"echo\"} 1.0")
                  .contains("dq_tasks_succeeded_total{queue=\"default\",type=\"echo\"} 1.0")
                  .contains("dq_task_handler_duration_seconds_bucket{")
                  .contains("dq_queue_ready{queue=\"default\"}")
                  .contains("dq_workers_busy");
            });
  }

  @Test
  void withoutMicrometer_noBinder() {
    runner
        .withClassLoader(new FilteredClassLoader("dev.dq.micrometer"))
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx.getBeanNamesForType(DqWorkers.class)).hasSize(1);
              assertThat(ctx.containsBean("dqMetrics")).isFalse();
            });
  }

  @Test
  void handlerBeansRunInAConsumerSpan_childOfThePublishersSpan() {
    InMemorySpanExporter spans = InMemorySpanExporter.create();
    OpenTelemetrySdk otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    runner
        .withBean(OpenTelemetry.class, () -> otel)
        .run(
            ctx -> {
              DqClient client = ctx.getBean(DqClient.class);
              TaskRef ref =
                  ctx.getBean(DqTracing.class)
                      .enqueue(client, "echo", "traced", EnqueueOptions.builder().build());
              assertThat(client.result(ref, WAIT, String.class)).contains("traced");

              List<SpanData> done = spans.getFinishedSpanItems();
              SpanData producer =
                  done.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().get();
              SpanData consumer =
                  done.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).findFirst().get();
              assertThat(consumer.getTraceId()).isEqualTo(producer.getTraceId());
              assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
              assertThat(ctx.containsBean("dqTracingListener")).isTrue();
            });
    otel.close();
  }
}
