package dev.dq.app.metrics;

import dev.dq.core.limit.LimitedClaims;
import dev.dq.core.limit.Limits;
import dev.dq.core.ops.BoundedLabels;
import dev.dq.core.port.Broker;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code dq_claims_limited_total{queue,reason}}: this process's claims that found work but took
 * none because a global limit held it back, by reason ({@code rate}, {@code concurrency}). Read
 * from the broker at scrape time; absent for a broker without {@link Limits}.
 */
public final class LimitMetrics {
  private LimitMetrics() {}

  /**
   * Registers the counter if {@code broker} keeps limits.
   *
   * @param registry where to register
   * @param broker the broker whose counts to read
   * @param queues bounds the queue label's values
   */
  public static void register(PrometheusRegistry registry, Broker broker, BoundedLabels queues) {
    if (!(broker instanceof Limits limits)) {
      return;
    }
    CounterWithCallback.builder()
        .name("dq_claims_limited")
        .help("Claims held back by a global rate or concurrency limit (no lease, no attempt).")
        .labelNames("queue", "reason")
        .callback(
            cb -> {
              for (LimitedClaims c : limits.limitedClaims()) {
                cb.call(c.count(), queues.label(c.queue()), c.reason().label());
              }
            })
        .register(registry);
  }
}
