package dev.dq.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.ops.BoundedLabels;
import dev.dq.core.port.Failure;
import dev.dq.core.task.Task;
import dev.dq.core.worker.TaskEvent;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class TaskMetricsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:10Z");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final TaskMetrics metrics =
      new TaskMetrics(
          registry,
          new BoundedLabels(Set.of("q"), 0),
          new BoundedLabels(Set.of("email"), 1),
          InstantSource.fixed(NOW));

  private static Task task(String type) {
    return Task.builder(type).id("t-" + type).queue("q").createdAt(NOW.minusSeconds(10)).build();
  }

  @Test
  void succeededWithResult_countedAsResultStored_byQueue() {
    Task t = task("email");

    metrics.on(new TaskEvent.Succeeded(t, "w-1", Duration.ofMillis(5), true));
    metrics.on(new TaskEvent.Succeeded(t, "w-1", Duration.ofMillis(5), true));
    metrics.on(new TaskEvent.Succeeded(t, "w-1", Duration.ofMillis(5), false));

    String text = Scrape.text(registry);
    assertThat(Scrape.value(text, "dq_results_stored_total", "queue=\"q\"")).isEqualTo(2);
    assertThat(Scrape.value(text, "dq_tasks_succeeded_total", "queue=\"q\",type=\"email\""))
        .isEqualTo(3);
  }

  @Test
  void uniqueHitsAndTrims_countedByQueue() {
    metrics.on(new TaskEvent.UniqueHit(task("email"), new dev.dq.core.task.TaskId("t-0")));
    metrics.on(new TaskEvent.UniqueHit(task("email"), new dev.dq.core.task.TaskId("t-0")));
    metrics.onTrimmed("q", new dev.dq.core.lifecycle.Trimmed(500, 3));
    metrics.onTrimmed("q", new dev.dq.core.lifecycle.Trimmed(20, 0));

    String text = Scrape.text(registry);
    assertThat(Scrape.value(text, "dq_unique_hits_total", "queue=\"q\"")).isEqualTo(2);
    assertThat(Scrape.value(text, "dq_retention_trimmed_total", "kind=\"finished\",queue=\"q\""))
        .isEqualTo(520);
    assertThat(Scrape.value(text, "dq_retention_trimmed_total", "kind=\"dead\",queue=\"q\""))
        .isEqualTo(3);
    assertThat(text).doesNotContain("dq_tasks_enqueued_total{");
  }

  @Test
  void events_countedByQueueAndType() {
    Task t = task("email");

    metrics.on(new TaskEvent.Enqueued(t));
    metrics.on(new TaskEvent.Started(t, "w-1", Duration.ofMillis(300)));
    metrics.on(
        new TaskEvent.Failed(
            t, "w-1", Duration.ofMillis(20), "E", "m", Optional.of(Duration.ofSeconds(1))));
    metrics.on(new TaskEvent.TimedOut(t, "w-1", Duration.ofSeconds(1)));
    metrics.on(new TaskEvent.Started(t.withAttempt(2), "w-1", Duration.ofMillis(1300)));
    metrics.on(new TaskEvent.Succeeded(t.withAttempt(2), "w-1", Duration.ofMillis(40)));
    metrics.on(new TaskEvent.LeaseLost(t, "ack"));
    metrics.on(new TaskEvent.Released(t, "shutdown"));
    metrics.on(new TaskEvent.Cancelled(t, "w-1"));
    metrics.on(new TaskEvent.DeadLettered(t, new Failure("E", "m", 3, NOW)));

    String text = Scrape.text(registry);
    String l = "queue=\"q\",type=\"email\"";
    assertThat(Scrape.value(text, "dq_tasks_enqueued_total", l)).isEqualTo(1);
    assertThat(Scrape.value(text, "dq_tasks_started_total", l)).isEqualTo(2);
    assertThat(Scrape.value(text, "dq_tasks_failed_total", l)).isEqualTo(1);
    assertThat(Scrape.value(text, "dq_tasks_retried_total", l)).isEqualTo(1);
    assertThat(Scrape.value(text, "dq_tasks_timed_out_total", l)).isEqualTo(1);
    assertThat(Scrape.value(text, "dq_tasks_succeeded_total", l)).isEqualTo(1);
    assertThat(Scrape.value(text, "dq_tasks_lease_lost_total", l)).isEqualTo(1);
    assertThat(Scrape.value(text, "dq_tasks_released_total", l)).isEqualTo(1);
    assertThat(Scrape.value(text, "dq_tasks_cancelled_total", l)).isEqualTo(1);
    assertThat(Scrape.value(text, "dq_tasks_dead_lettered_total", l)).isEqualTo(1);
    assertThat(Scrape.value(text, "dq_task_handler_duration_seconds_count", l)).isEqualTo(2);
    assertThat(Scrape.value(text, "dq_task_handler_duration_seconds_sum", l))
        .isEqualTo(0.06, within());
    assertThat(Scrape.value(text, "dq_task_queue_wait_seconds_count", l)).isEqualTo(2);
    assertThat(Scrape.value(text, "dq_task_latency_seconds_sum", "outcome=\"succeeded\"," + l))
        .isEqualTo(10);
    assertThat(Scrape.value(text, "dq_task_latency_seconds_count", "outcome=\"dead\"," + l))
        .isEqualTo(1);
  }

  @Test
  void leaseExpiredWhileHeld_isCountedApartFromRefusedSettles() {
    Task t = task("email");

    metrics.on(new TaskEvent.LeaseLost(t, "renew"));
    metrics.on(new TaskEvent.LeaseLost(t.withAttempt(2), "ack"));

    String text = Scrape.text(registry);
    String l = "queue=\"q\",type=\"email\"";
    assertThat(Scrape.value(text, "dq_tasks_lease_expired_total", l)).isEqualTo(1);
    assertThat(Scrape.value(text, "dq_tasks_lease_lost_total", l)).isEqualTo(1);
  }

  @Test
  void unregisteredTypesBeyondCap_foldIntoOther_andIdsNeverAppear() {
    metrics.on(new TaskEvent.Enqueued(task("first")));
    metrics.on(new TaskEvent.Enqueued(task("second")));
    metrics.on(new TaskEvent.Enqueued(task("third")));

    String text = Scrape.text(registry);
    assertThat(Scrape.value(text, "dq_tasks_enqueued_total", "queue=\"q\",type=\"first\""))
        .isEqualTo(1);
    assertThat(Scrape.value(text, "dq_tasks_enqueued_total", "queue=\"q\",type=\"other\""))
        .isEqualTo(2);
    assertThat(text).doesNotContain("t-first", "t-second", "third");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
