package dev.dq.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.retry.RetryPolicy;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.worker.TaskHandler;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * How a consumer span ends when the pool, not the handler, decides the attempt's outcome: with
 * {@link DqTracing#listener()} registered, against a real pool on the in-memory broker. In name
 * order: a timeout test run first in the JVM found no timeout armed (the pool's timer waited with
 * nothing scheduled), a core matter reported apart.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
final class SpanOutcomeTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static final AttributeKey<String> HANDED_BACK =
      AttributeKey.stringKey(DqTracing.HANDED_BACK);

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
  private final DqTracing tracing =
      DqTracing.create(OpenTelemetrySdk.builder().setTracerProvider(provider).build());
  private final InMemoryBroker broker = InMemoryBroker.builder().build();
  private final AtomicBoolean finish = new AtomicBoolean();
  private final CountDownLatch started = new CountDownLatch(1);
  private WorkerPool pool;

  @AfterEach
  void close() {
    finish.set(true);
    if (pool != null) {
      pool.stop(Duration.ofSeconds(5));
    }
    broker.close();
    provider.close();
  }

  private void run(TaskHandler handler, WorkerPoolConfig.Builder config) throws Exception {
    pool =
        WorkerPool.builder(broker)
            .config(
                config
                    .workers(1)
                    .pollWait(Duration.ofMillis(20))
                    .retryPolicy(RetryPolicy.builder().maxAttempts(1).build())
                    .build())
            .handler("t", tracing.handler(handler))
            .listener(tracing.listener())
            .build();
    broker.enqueue(
        Task.builder("t").id(new TaskId("a")).createdAt(Instant.now()).build(),
        Duration.ofSeconds(5));
    pool.start();
    assertThat(started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
  }

  /** Waits for the interrupt, swallows it, then runs on until the test lets it return. */
  private void swallowInterrupt() {
    started.countDown();
    while (!Thread.interrupted()) {
      Thread.onSpinWait();
    }
    while (!finish.get()) {
      Thread.onSpinWait();
    }
  }

  private List<SpanData> consumerSpans() {
    return exporter.getFinishedSpanItems().stream()
        .filter(s -> s.getKind() == SpanKind.CONSUMER)
        .toList();
  }

  private SpanData awaitConsumerSpan() {
    await().atMost(PATIENCE).until(() -> !consumerSpans().isEmpty());
    return consumerSpans().get(0);
  }

  /**
   * The handler returns only after the span was exported: a handler that returns in the instant
   * between the pool's interrupt and its TimedOut event still ends its span UNSET.
   */
  @Test
  void timedOut_handlerSwallowsTheInterruptThenReturns_spanIsAnErrorEndedOnce() throws Exception {
    run(t -> swallowInterrupt(), WorkerPoolConfig.builder().timeout("t", Duration.ofMillis(100)));

    SpanData span = awaitConsumerSpan();
    finish.set(true);
    await().atMost(PATIENCE).until(() -> pool.abandonedHandlers() == 0); // the handler returned

    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getStatus().getDescription()).contains("timed out");
    assertThat(consumerSpans()).hasSize(1);
    assertThat(tracing.listener())
        .isInstanceOfSatisfying(LiveSpans.class, l -> assertThat(l.open()).isZero());
  }

  @Test
  void timedOut_handlerNeverReturns_spanEndsWhenThePoolGivesUp() throws Exception {
    run(t -> swallowInterrupt(), WorkerPoolConfig.builder().timeout("t", Duration.ofMillis(100)));

    SpanData span = awaitConsumerSpan();

    assertThat(pool.abandonedHandlers()).isEqualTo(1); // still running
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    finish.set(true);
    await().atMost(PATIENCE).until(() -> pool.abandonedHandlers() == 0);
    assertThat(consumerSpans()).hasSize(1);
  }

  @Test
  void cancelled_whileRunning_spanIsAnError() throws Exception {
    run(t -> swallowInterrupt(), WorkerPoolConfig.builder());

    broker.cancel(Task.DEFAULT_QUEUE, new TaskId("a"));

    SpanData span = awaitConsumerSpan();
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getStatus().getDescription()).isEqualTo("cancelled");
  }

  @Test
  void releasedOnStop_handlerThrowsItsInterrupt_spanIsHandedBack_notAnError() throws Exception {
    run(
        t -> {
          started.countDown();
          new CountDownLatch(1).await();
        },
        WorkerPoolConfig.builder());

    pool.stop(Duration.ZERO);

    SpanData span = awaitConsumerSpan();
    assertThat(span.getAttributes().get(HANDED_BACK)).isEqualTo("shutdown");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(consumerSpans()).hasSize(1);
  }

  @Test
  void failure_withTheListener_isStillAnErrorEndedByTheHandler() throws Exception {
    run(
        t -> {
          started.countDown();
          throw new IllegalStateException("boom");
        },
        WorkerPoolConfig.builder());

    SpanData span = awaitConsumerSpan();
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getStatus().getDescription()).isEqualTo(IllegalStateException.class.getName());
  }
}
