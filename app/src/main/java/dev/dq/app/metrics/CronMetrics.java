package dev.dq.app.metrics;

import dev.dq.core.ops.BoundedLabels;
import dev.dq.core.schedule.FireOutcome;
import dev.dq.core.schedule.Schedule;
import dev.dq.cron.CronListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * The scheduler's metrics: {@code dq_cron_fires_total{queue,schedule,outcome}} (fired, duplicate,
 * stale, skipped, missed, full, early) and {@code dq_cron_lag_seconds{queue}}, broker time from a
 * tick to the step that enqueued it (fired steps only). Schedule names beyond a cap share the label
 * {@value BoundedLabels#OTHER}.
 */
public final class CronMetrics implements CronListener {
  private static final double[] LAG_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300
  };

  private final Counter fires;
  private final Histogram lag;
  private final BoundedLabels queues;
  private final BoundedLabels names;

  /**
   * Registers the metrics.
   *
   * @param registry where
   * @param queues the queues served, labelled as they are
   * @param cap how many schedule names get a label of their own
   */
  public CronMetrics(PrometheusRegistry registry, Set<String> queues, int cap) {
    this.queues = new BoundedLabels(queues, cap);
    this.names = new BoundedLabels(Set.of(), cap);
    this.fires =
        Counter.builder()
            .name("dq_cron_fires_total")
            .help("Scheduler steps per schedule tick, by outcome.")
            .labelNames("queue", "schedule", "outcome")
            .register(registry);
    this.lag =
        Histogram.builder()
            .name("dq_cron_lag_seconds")
            .help("Broker time from a schedule's tick to the step that enqueued its task.")
            .labelNames("queue")
            .classicOnly()
            .classicUpperBounds(LAG_BUCKETS)
            .register(registry);
  }

  @Override
  public void onStep(Schedule schedule, Instant tick, FireOutcome outcome, Duration lagTime) {
    String queue = queues.label(schedule.queue());
    fires
        .labelValues(queue, names.label(schedule.name()), outcome.name().toLowerCase(Locale.ROOT))
        .inc();
    if (outcome == FireOutcome.FIRED) {
      lag.labelValues(queue).observe(Math.max(0, lagTime.toNanos()) / 1e9);
    }
  }
}
