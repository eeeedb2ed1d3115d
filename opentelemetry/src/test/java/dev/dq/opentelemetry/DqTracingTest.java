package dev.dq.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.client.DqClient;
import dev.dq.core.client.EnqueueOptions;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskLimits;
import dev.dq.core.worker.NamedTaskHandler;
import dev.dq.core.worker.Producer;
import dev.dq.core.worker.ResultTaskHandler;
import dev.dq.core.worker.TaskEventListener;
import dev.dq.core.worker.TaskHandler;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class DqTracingTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder().setTracerProvider(provider).build();
  private final InMemoryBroker broker = InMemoryBroker.builder().build();

  @AfterEach
  void close() {
    broker.close();
    provider.close();
  }

  private static Task.Builder task() {
    return Task.builder("t").queue("q").createdAt(Instant.parse("2026-01-01T00:00:00Z"));
  }

  private Span parent() {
    return otel.getTracer("test").spanBuilder("request").startSpan();
  }

  /** {@code task} with the headers of {@code span} and the baggage tenant=acme; ends the span. */
  private static Task injectInSpan(DqTracing tracing, Task task, Span span) {
    try (Scope s =
        Context.current()
            .with(span)
            .with(Baggage.builder().put("tenant", "acme").build())
            .makeCurrent()) {
      return tracing.inject(task);
    } finally {
      span.end();
    }
  }

  private Task take() throws InterruptedException {
    Lease lease = broker.dequeue("q", Duration.ofSeconds(30), Duration.ZERO).orElseThrow();
    return lease.task();
  }

  @Test
  void inject_withoutACurrentSpan_leavesTheTaskAsItIs() {
    DqTracing tracing = DqTracing.create(otel);
    Task t = task().build();

    assertThat(tracing.inject(t)).isSameAs(t);
    assertThat(tracing.droppedHeaders()).isZero();
  }

  @Test
  void publish_oversizedBaggage_isDroppedAndCounted_andTheTaskIsStillEnqueued() throws Exception {
    DqTracing tracing = DqTracing.builder(otel).limits(new TaskLimits(1 << 20, 32, 100)).build();
    Baggage big = Baggage.builder().put("tenant", "x".repeat(150)).build();
    Span span = parent();
    try (Scope s = Context.current().with(span).with(big).makeCurrent()) {
      tracing
          .producer(new Producer(broker, TaskEventListener.NONE))
          .publish(task().build(), Duration.ofSeconds(1));
    } finally {
      span.end();
    }

    Task delivered = take();
    assertThat(delivered.headers()).containsKey("traceparent").doesNotContainKey("baggage");
    assertThat(delivered.headers().get("traceparent")).contains(span.getSpanContext().getTraceId());
    assertThat(tracing.droppedHeaders()).isEqualTo(1);
  }

  @Test
  void inject_oneHeaderShortOfTheCountLimit_keepsTraceparent_dropsBaggage() {
    DqTracing tracing = DqTracing.create(otel);
    Task.Builder b = task();
    for (int i = 0; i < TaskLimits.DEFAULT.maxHeaders() - 1; i++) {
      b.header("h" + i, "v");
    }
    Task traced = injectInSpan(tracing, b.build(), parent());

    assertThat(traced.headers()).hasSize(TaskLimits.DEFAULT.maxHeaders());
    assertThat(traced.headers()).containsKey("traceparent").doesNotContainKey("baggage");
    assertThat(tracing.droppedHeaders()).isEqualTo(1);
  }

  @Test
  void handler_malformedTraceHeaders_areIgnoredAndCounted_andTheTaskRunsInANewTrace()
      throws Exception {
    DqTracing tracing = DqTracing.create(otel);
    AtomicReference<Task> ran = new AtomicReference<>();
    Task t = task().header("traceparent", "00-not-a-trace-01").header("baggage", "=;=;,,").build();

    tracing.handler((TaskHandler) ran::set).handle(t);

    assertThat(ran.get()).isEqualTo(t);
    assertThat(tracing.malformedHeaders()).isEqualTo(2);
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(span.getParentSpanContext().isValid()).isFalse();
  }

  @Test
  void handler_seesTheProducersBaggage_andItsOwnSpanAsCurrent() throws Exception {
    DqTracing tracing = DqTracing.create(otel);
    Span span = parent();
    Task traced = injectInSpan(tracing, task().build(), span);
    AtomicReference<String> tenant = new AtomicReference<>();
    AtomicReference<String> traceId = new AtomicReference<>();

    tracing
        .handler(
            (TaskHandler)
                task -> {
                  tenant.set(Baggage.current().getEntryValue("tenant"));
                  traceId.set(Span.current().getSpanContext().getTraceId());
                })
        .handle(traced);

    assertThat(tenant.get()).isEqualTo("acme");
    assertThat(traceId.get()).isEqualTo(span.getSpanContext().getTraceId());
    assertThat(tracing.malformedHeaders()).isZero();
  }

  @Test
  void handler_keepsTheTypeOfANamedHandler_andTheResultOfAResultHandler() throws Exception {
    DqTracing tracing = DqTracing.create(otel);
    NamedTaskHandler named =
        new NamedTaskHandler() {
          @Override
          public String type() {
            return "named";
          }

          @Override
          public void handle(Task task) {}
        };
    ResultTaskHandler withResult = task -> Payload.ofUtf8("done");

    assertThat(tracing.handler(named).type()).isEqualTo("named");
    assertThat(((ResultTaskHandler) tracing.handler(withResult)).call(task().build()))
        .isEqualTo(Payload.ofUtf8("done"));
  }

  @Test
  void handler_failure_isRecorded_andRethrown() {
    DqTracing tracing = DqTracing.create(otel);
    IllegalStateException boom = new IllegalStateException("boom");

    assertThatThrownBy(
            () ->
                tracing
                    .handler(
                        (TaskHandler)
                            task -> {
                              throw boom;
                            })
                    .handle(task().build()))
        .isSameAs(boom);
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getEvents())
        .singleElement()
        .satisfies(e -> assertThat(e.getName()).isEqualTo("exception"));
  }

  @Test
  void enqueue_throughTheClient_carriesTheTraceAndKeepsTheOptionsHeaders() throws Exception {
    DqTracing tracing = DqTracing.create(otel);
    DqClient client = DqClient.builder(broker).build();
    Map<String, String> own = new LinkedHashMap<>();
    own.put("tenant", "acme");
    EnqueueOptions options = EnqueueOptions.builder().queue("q").header("tenant", "acme").build();
    Span span = parent();
    try (Scope s = span.makeCurrent()) {
      tracing.enqueue(client, "t", "value", options);
    } finally {
      span.end();
    }

    Task delivered = take();
    assertThat(delivered.headers()).containsAllEntriesOf(own).containsKey("traceparent");
    SpanData publish =
        exporter.getFinishedSpanItems().stream()
            .filter(d -> d.getKind() == SpanKind.PRODUCER)
            .findFirst()
            .orElseThrow();
    assertThat(publish.getParentSpanId()).isEqualTo(span.getSpanContext().getSpanId());
    assertThat(delivered.headers().get("traceparent")).contains(publish.getSpanId());
    assertThat(publish.getAttributes().get(DqTracing.MESSAGE_ID)).isEqualTo(delivered.id().value());
  }

  @Test
  void builder_rejectsANegativeMemory_namingTheValue() {
    assertThatThrownBy(() -> DqTracing.builder(otel).rememberedAttempts(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rememberedAttempts must be >= 0: -1");
  }

  @Test
  void handler_tracedAlready_isReturnedAsItIs() {
    DqTracing tracing = DqTracing.create(otel);
    TaskHandler traced = tracing.handler((TaskHandler) task -> {});
    NamedTaskHandler named =
        tracing.handler(
            new NamedTaskHandler() {
              @Override
              public String type() {
                return "t";
              }

              @Override
              public void handle(Task task) {}
            });

    assertThat(tracing.handler(traced)).isSameAs(traced);
    assertThat(DqTracing.create(otel).handler(named)).isSameAs(named);
    assertThat(tracing.handler((TaskHandler) named)).isSameAs(named);
  }

  @Test
  void handler_tracedTwice_runsInOneSpan() throws Exception {
    DqTracing tracing = DqTracing.create(otel);
    broker.enqueue(task().build(), Duration.ofSeconds(1));

    tracing.handler(tracing.handler((TaskHandler) task -> {})).handle(take());

    assertThat(exporter.getFinishedSpanItems()).hasSize(1);
  }

  @Test
  void global_buildsWithoutSettingTheGlobal_andTracesOnceOneIsSet() throws Exception {
    GlobalOpenTelemetry.resetForTest();
    try {
      DqTracing tracing = DqTracing.global();
      broker.enqueue(task().build(), Duration.ofSeconds(1));
      broker.enqueue(task().build(), Duration.ofSeconds(1));
      TaskHandler handler = tracing.handler((TaskHandler) task -> {});
      handler.handle(take()); // no global yet: a no-op span

      GlobalOpenTelemetry.set(otel); // would throw had the tracing called get()
      handler.handle(take());

      assertThat(exporter.getFinishedSpanItems()).hasSize(1);
    } finally {
      GlobalOpenTelemetry.resetForTest();
    }
  }
}
