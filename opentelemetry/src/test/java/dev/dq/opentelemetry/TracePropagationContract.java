package dev.dq.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.Broker;
import dev.dq.core.retry.ExponentialBackoff;
import dev.dq.core.retry.RetryPolicy;
import dev.dq.core.task.Task;
import dev.dq.core.worker.Producer;
import dev.dq.core.worker.TaskEventListener;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One trace from publish to every attempt, whatever the broker: the producer publishes through one
 * broker client inside a span, a worker pool on another client runs the task (failing its first
 * attempt), and the in-memory exporter must hold one trace with the right parents and link.
 */
abstract class TracePropagationContract {
  static final String QUEUE = "traced";
  static final Duration PATIENCE = Duration.ofSeconds(20);

  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  final OpenTelemetrySdk otel =
      OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
  final DqTracing tracing = DqTracing.create(otel);

  /** The client the producer enqueues through. */
  abstract Broker producerBroker();

  /** Another client of the same broker, for the worker pool. */
  abstract Broker workerBroker();

  @AfterEach
  void closeSdk() {
    tracerProvider.close();
  }

  @Test
  void retriedTask_oneTrace_publishToEveryAttempt_withParentsAndLink() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    WorkerPool pool =
        WorkerPool.builder(workerBroker())
            .config(
                WorkerPoolConfig.builder()
                    .queue(QUEUE)
                    .workers(1)
                    .pollWait(Duration.ofMillis(50))
                    .retryPolicy(
                        RetryPolicy.builder()
                            .maxAttempts(3)
                            .backoff(
                                new ExponentialBackoff(
                                    Duration.ofMillis(10), 1.0, Duration.ofMillis(10), 0.0))
                            .build())
                    .build())
            .handler(
                "flaky",
                tracing.handler(
                    task -> {
                      if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("first attempt fails");
                      }
                    }))
            .build();
    Tracer tracer = otel.getTracer("test");
    Span request = tracer.spanBuilder("request").startSpan();
    Task sent;
    try (Scope scope = request.makeCurrent()) {
      sent =
          tracing
              .producer(new Producer(producerBroker(), TaskEventListener.NONE))
              .publish(
                  Task.builder("flaky")
                      .queue(QUEUE)
                      .payload("x")
                      .createdAt(java.time.Instant.now())
                      .build(),
                  Duration.ofSeconds(5));
    } finally {
      request.end();
    }
    assertThat(sent.headers()).containsKey("traceparent");

    pool.start();
    try {
      await().atMost(PATIENCE).until(() -> consumerSpans().size() == 2);
    } finally {
      pool.close();
    }

    SpanData root = only(SpanKind.INTERNAL);
    SpanData publish = only(SpanKind.PRODUCER);
    List<SpanData> attempts = consumerSpans();
    SpanData first = attempts.get(0);
    SpanData second = attempts.get(1);

    assertThat(exporter.getFinishedSpanItems())
        .extracting(SpanData::getTraceId)
        .containsOnly(root.getTraceId());
    assertThat(publish.getParentSpanId()).isEqualTo(root.getSpanId());
    assertThat(publish.getName()).isEqualTo("publish " + QUEUE);
    assertThat(first.getParentSpanId()).isEqualTo(publish.getSpanId());
    assertThat(second.getParentSpanId()).isEqualTo(publish.getSpanId());

    assertThat(first.getName()).isEqualTo("process " + QUEUE);
    assertThat(first.getAttributes().get(DqTracing.SYSTEM)).isEqualTo("dq");
    assertThat(first.getAttributes().get(DqTracing.DESTINATION)).isEqualTo(QUEUE);
    assertThat(first.getAttributes().get(DqTracing.MESSAGE_ID)).isEqualTo(sent.id().value());
    assertThat(first.getAttributes().get(DqTracing.ATTEMPT_KEY)).isEqualTo(1L);
    assertThat(second.getAttributes().get(DqTracing.ATTEMPT_KEY)).isEqualTo(2L);

    assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(first.getEvents()).extracting(e -> e.getName()).contains("exception");
    assertThat(second.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

    assertThat(first.getLinks()).isEmpty();
    assertThat(second.getLinks())
        .singleElement()
        .satisfies(l -> assertThat(l.getSpanContext()).isEqualTo(first.getSpanContext()));
  }

  private SpanData only(SpanKind kind) {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == kind)
        .reduce(
            (a, b) -> {
              throw new AssertionError("more than one " + kind + " span: " + a + ", " + b);
            })
        .orElseThrow(() -> new AssertionError("no " + kind + " span"));
  }

  /** The consumer spans, by attempt. */
  List<SpanData> consumerSpans() {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == SpanKind.CONSUMER)
        .sorted(Comparator.comparing(s -> s.getAttributes().get(DqTracing.ATTEMPT_KEY)))
        .toList();
  }
}
