package dev.dq.app.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.limit.Limit;
import dev.dq.core.limit.LimitTarget;
import dev.dq.core.ops.BoundedLabels;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code dq_claims_limited_total} counts the claims a limit held back, by queue and reason. */
final class LimitMetricsTest {
  @Test
  void claimHeldBackByConcurrency_isCountedWithItsQueueAndReason() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (InMemoryBroker broker = InMemoryBroker.builder().build()) {
      LimitMetrics.register(registry, broker, new BoundedLabels(Set.of("default"), 10));
      broker.setLimit(Limit.ofConcurrency(LimitTarget.queue("default"), 1));
      for (String id : new String[] {"t1", "t2"}) {
        broker.enqueue(Task.builder("echo").id(id).createdAt(Instant.now()).build(), Duration.ZERO);
      }
      Lease running = broker.dequeue("default", Duration.ofSeconds(30), Duration.ZERO).get();
      broker.dequeue("default", Duration.ofSeconds(30), Duration.ZERO);
      broker.dequeue("default", Duration.ofSeconds(30), Duration.ZERO);

      assertThat(Scrape.text(registry))
          .contains("dq_claims_limited_total{queue=\"default\",reason=\"concurrency\"} 2.0");
      broker.ack(running);
    }
  }
}
