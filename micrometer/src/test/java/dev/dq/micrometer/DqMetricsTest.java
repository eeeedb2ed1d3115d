package dev.dq.micrometer;

import static dev.dq.testing.PrometheusText.sample;
import static dev.dq.testing.TaskFixtures.EPOCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.lifecycle.Trimmed;
import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.Failure;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.worker.TaskEvent;
import dev.dq.core.worker.WorkerPool;
import dev.dq.testing.FakeClock;
import dev.dq.testing.ForwardingBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class DqMetricsTest {
  private final FakeClock clock = FakeClock.at(EPOCH.plusSeconds(10));
  private final InMemoryBroker memory = InMemoryBroker.builder().clock(clock).build();
  private final CountingBroker broker = new CountingBroker(memory);
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  @AfterEach
  void close() {
    memory.close();
  }

  /** Metrics of the queue "q" of the counting broker. */
  private DqMetrics onQueueQ() {
    return DqMetrics.builder()
        .queues(List.of("q"))
        .clock(clock)
        .broker(broker, memory.deadLetterQueue())
        .build();
  }

  /** Metrics of {@code queues} of the counting broker, on snapshots of one second. */
  private DqMetrics withSnapshotTtlOfOneSecond(List<String> queues) {
    return DqMetrics.builder()
        .queues(queues)
        .clock(clock)
        .snapshotTtl(Duration.ofSeconds(1))
        .broker(broker, memory.deadLetterQueue())
        .build();
  }

  private static Task task(String type) {
    return Task.builder(type).id("t-" + type).queue("q").createdAt(EPOCH).build();
  }

  /** One event of every kind, so that every event-fed family has a sample. */
  private static void everyEvent(DqMetrics m) {
    Task t = task("email");
    Duration d = Duration.ofMillis(20);
    m.on(new TaskEvent.Enqueued(t));
    m.on(new TaskEvent.UniqueHit(t, new TaskId("t-0")));
    m.on(new TaskEvent.Started(t, "w", d));
    m.on(new TaskEvent.Succeeded(t, "w", d, true));
    m.on(new TaskEvent.Failed(t, "w", d, "E", "m", Optional.of(d)));
    m.on(new TaskEvent.TimedOut(t, "w", d));
    m.on(new TaskEvent.DeadLettered(t, new Failure("E", "m", 3, EPOCH)));
    m.on(new TaskEvent.LeaseLost(t, "renew"));
    m.on(new TaskEvent.LeaseLost(t, "ack"));
    m.on(new TaskEvent.Released(t, "shutdown"));
    m.on(new TaskEvent.Cancelled(t, "w"));
    m.onTrimmed("q", new Trimmed(5, 1));
  }

  @Test
  void prometheusScrape_hasDqRunsFamilies_underTheSameNames() {
    try (WorkerPool pool = WorkerPool.builder(broker).build()) {
      DqMetrics metrics =
          DqMetrics.builder()
              .queues(List.of("q"))
              .types(Set.of("email"))
              .clock(clock)
              .broker(broker, memory.deadLetterQueue())
              .pool(pool, 4)
              .build();
      metrics.bindTo(registry);
      everyEvent(metrics);

      Set<String> families = new TreeSet<>();
      for (MetricSnapshot s : registry.getPrometheusRegistry().scrape()) {
        families.add(s.getMetadata().getPrometheusName());
      }
      // Micrometer adds a _max gauge to every timer; dq run has none.
      families.removeIf(f -> f.endsWith("_max"));
      assertThat(families).containsExactlyInAnyOrderElementsOf(DqMetrics.PROMETHEUS_FAMILIES);

      String text = registry.scrape();
      assertThat(sample(text, "dq_tasks_enqueued_total", "queue=\"q\",type=\"email\""))
          .isEqualTo(1);
      assertThat(sample(text, "dq_tasks_lease_expired_total", "queue=\"q\",type=\"email\""))
          .isEqualTo(1);
      assertThat(sample(text, "dq_retention_trimmed_total", "kind=\"finished\",queue=\"q\""))
          .isEqualTo(5);
      assertThat(text).contains("# TYPE dq_task_handler_duration_seconds histogram");
      // The same classic buckets as dq run: 20 ms falls in le=0.025, not in le=0.01.
      assertThat(
              sample(
                  text,
                  "dq_task_handler_duration_seconds_bucket",
                  "queue=\"q\",type=\"email\",le=\"0.025\""))
          .isEqualTo(2);
      assertThat(
              sample(
                  text,
                  "dq_task_handler_duration_seconds_bucket",
                  "queue=\"q\",type=\"email\",le=\"0.01\""))
          .isZero();
      assertThat(
              sample(
                  text,
                  "dq_task_latency_seconds_count",
                  "outcome=\"succeeded\",queue=\"q\",type=\"email\""))
          .isEqualTo(1);
      assertThat(sample(text, "dq_workers_idle", "")).isEqualTo(4);
    }
  }

  @Test
  void labels_areBounded_unknownTypesPastTheCapBecomeOther() {
    DqMetrics metrics = DqMetrics.builder().queues(List.of("q")).labelCap(1).build();
    metrics.bindTo(registry);

    metrics.on(new TaskEvent.Enqueued(task("a")));
    metrics.on(new TaskEvent.Enqueued(task("b")));
    metrics.on(new TaskEvent.Enqueued(task("c")));

    String text = registry.scrape();
    assertThat(sample(text, "dq_tasks_enqueued_total", "queue=\"q\",type=\"a\"")).isEqualTo(1);
    assertThat(sample(text, "dq_tasks_enqueued_total", "queue=\"q\",type=\"other\"")).isEqualTo(2);
    assertThat(text).doesNotContain("type=\"b\"").doesNotContain("type=\"c\"");
  }

  @Test
  void queueGauges_readTheBrokerOncePerQueuePerSnapshot_notOncePerGauge() throws Exception {
    memory.enqueue(task("email"), Duration.ZERO);
    DqMetrics metrics = withSnapshotTtlOfOneSecond(List.of("q", "r"));
    metrics.bindTo(registry);

    String text = registry.scrape();
    assertThat(sample(text, "dq_queue_ready", "queue=\"q\"")).isEqualTo(1);
    assertThat(sample(text, "dq_queue_ready", "queue=\"r\"")).isZero();
    assertThat(sample(text, "dq_broker_up", "")).isEqualTo(1);
    // Five gauges per queue, two queues: one stats read per queue.
    assertThat(broker.statsCalls.get()).isEqualTo(2);

    registry.scrape();
    assertThat(broker.statsCalls.get()).as("a second scrape within the TTL").isEqualTo(2);

    clock.advance(Duration.ofSeconds(1));
    registry.scrape();
    assertThat(broker.statsCalls.get()).as("after the TTL").isEqualTo(4);
  }

  @Test
  void brokerDown_brokerUpIsZero_andQueueGaugesHaveNoValue() {
    DqMetrics metrics = onQueueQ();
    metrics.bindTo(registry);
    broker.down = true;

    String text = registry.scrape();
    assertThat(sample(text, "dq_broker_up", "")).isZero();
    assertThat(sample(text, "dq_queue_ready", "queue=\"q\"")).isNaN();
  }

  @Test
  void noQueueAtBind_brokerUpIsOne_andAQueueThatAppearsLaterIsGauged() throws Exception {
    DqMetrics metrics = withSnapshotTtlOfOneSecond(List.of());
    metrics.bindTo(registry);

    String text = registry.scrape();
    assertThat(sample(text, "dq_broker_up", "")).isEqualTo(1);
    assertThat(text).doesNotContain("dq_queue_ready{");

    memory.enqueue(task("email"), Duration.ZERO); // queue "q" appears
    clock.advance(Duration.ofSeconds(1));
    registry.scrape(); // the snapshot that finds it
    text = registry.scrape();
    assertThat(sample(text, "dq_queue_ready", "queue=\"q\"")).isEqualTo(1);
    assertThat(sample(text, "dq_broker_up", "")).isEqualTo(1);
  }

  @Test
  void queuesThatAppearLater_areGaugedUpToTheLabelCap() throws Exception {
    DqMetrics metrics =
        DqMetrics.builder()
            .queues(List.of("q"))
            .labelCap(1)
            .clock(clock)
            .broker(broker, memory.deadLetterQueue())
            .build();
    metrics.bindTo(registry);
    for (String queue : List.of("a", "b")) {
      memory.enqueue(
          Task.builder("email").id("t-" + queue).queue(queue).createdAt(EPOCH).build(),
          Duration.ZERO);
    }
    clock.advance(Duration.ofSeconds(1));
    registry.scrape();

    String text = registry.scrape();
    assertThat(sample(text, "dq_queue_ready", "queue=\"q\"")).isZero();
    assertThat(sample(text, "dq_queue_ready", "queue=\"a\"")).isEqualTo(1);
    assertThat(text).doesNotContain("queue=\"b\"").doesNotContain("queue=\"other\"");
  }

  @Test
  void bindTo_twoRegistries_bothGetTheGaugesAndTheCounts() {
    DqMetrics metrics = onQueueQ();
    SimpleMeterRegistry first = new SimpleMeterRegistry();
    SimpleMeterRegistry second = new SimpleMeterRegistry();
    metrics.bindTo(first);
    metrics.bindTo(second);
    metrics.bindTo(second);

    metrics.on(new TaskEvent.Enqueued(task("email")));

    for (SimpleMeterRegistry r : List.of(first, second)) {
      assertThat(r.get("dq.queue.ready").tag("queue", "q").gauge().value()).isZero();
      assertThat(r.get("dq.tasks.enqueued").tag("queue", "q").counter().count()).isEqualTo(1);
    }
  }

  @Test
  void builder_rejectsBadValues_naming_them() {
    assertThatThrownBy(() -> DqMetrics.builder().labelCap(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("labelCap must be >= 0: -1");
    assertThatThrownBy(() -> DqMetrics.builder().snapshotTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("snapshotTtl must be >= 1ms: PT0S");
  }

  /** Counts stats reads; throws as an unreachable broker when {@link #down}. */
  private static final class CountingBroker extends ForwardingBroker {
    final AtomicInteger statsCalls = new AtomicInteger();
    volatile boolean down;

    CountingBroker(Broker delegate) {
      super(delegate);
    }

    @Override
    public QueueStats stats(String queue) {
      if (down) {
        throw new BrokerUnavailableException("down", null);
      }
      statsCalls.incrementAndGet();
      return delegate.stats(queue);
    }
  }
}
