package dev.dq.app.metrics;

import static dev.dq.micrometer.DqMetrics.PROMETHEUS_FAMILIES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.ops.BoundedLabels;
import dev.dq.core.worker.WorkerPool;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard in deploy/ queries only metrics that dq run really exposes, and those are
 * the families that the Micrometer binder exposes too.
 */
final class DashboardTest {
  private static final Path DASHBOARD = Path.of("..", "deploy", "grafana-dashboard.json");

  @Test
  void dashboard_usesOnlyExposedMetrics_andCoversEveryFamily() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    InstantSource clock = InstantSource.system();
    try (InMemoryBroker broker = InMemoryBroker.builder().clock(clock).build()) {
      new TaskMetrics(
          registry, new BoundedLabels(Set.of(), 0), new BoundedLabels(Set.of(), 0), clock);
      StateGauges.register(
          registry,
          broker,
          broker.deadLetterQueue(),
          List.of("default"),
          new BoundedLabels(Set.of("default"), 0),
          clock);
      StateGauges.registerPool(registry, WorkerPool.builder(broker).build(), 1);
    }
    Set<String> exposed = new TreeSet<>();
    for (MetricSnapshot s : registry.scrape()) {
      exposed.add(s.getMetadata().getPrometheusName());
    }

    Set<String> used = new TreeSet<>();
    Matcher m = Pattern.compile("dq_[a-z_]+").matcher(Files.readString(DASHBOARD));
    while (m.find()) {
      used.add(m.group().replaceAll("_(total|bucket|sum|count)$", ""));
    }

    assertThat(exposed).as("families").hasSizeGreaterThanOrEqualTo(20);
    // The Micrometer binder's test scrapes against the same list: both expose the same names.
    assertThat(exposed).as("families").containsExactlyInAnyOrderElementsOf(PROMETHEUS_FAMILIES);
    assertThat(used).as("metrics the dashboard queries").isSubsetOf(exposed).isEqualTo(exposed);
  }
}
