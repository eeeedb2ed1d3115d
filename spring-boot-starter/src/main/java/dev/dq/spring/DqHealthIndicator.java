package dev.dq.spring;

import dev.dq.core.port.Broker;
import dev.dq.core.port.QueueStats;
import dev.dq.core.worker.RateLimitedLog;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code dq} in {@code /actuator/health}: DOWN when the broker does not answer a stats read of the
 * served queues, or when the pool's lease renewals are failing (its tasks may run again elsewhere).
 * Details: each queue's ready, in-flight and delayed counts, and the pool's busy and total workers.
 * No URL or password ever appears; a failure shows only its exception's type.
 */
public final class DqHealthIndicator extends AbstractHealthIndicator {
  private static final RateLimitedLog errors =
      new RateLimitedLog(
          LoggerFactory.getLogger(DqHealthIndicator.class),
          InstantSource.system(),
          Duration.ofMinutes(1));

  private final Broker broker;
  private final List<String> queues;
  private final DqWorkers workers;

  /**
   * A health indicator.
   *
   * @param broker the broker
   * @param queues the queues to read
   * @param workers the pool, or {@code null} in a service that only publishes
   */
  public DqHealthIndicator(Broker broker, List<String> queues, DqWorkers workers) {
    this.broker = broker;
    this.queues = List.copyOf(queues);
    this.workers = workers;
  }

  @Override
  protected void doHealthCheck(Health.Builder health) {
    Map<String, Object> byQueue = new LinkedHashMap<>();
    try {
      for (String queue : queues) {
        QueueStats s = broker.stats(queue);
        byQueue.put(
            queue, Map.of("ready", s.ready(), "in_flight", s.inFlight(), "delayed", s.delayed()));
      }
    } catch (RuntimeException e) {
      errors.warn("dq health: broker did not answer", e);
      health.down().withDetail("error", e.getClass().getSimpleName());
      return;
    }
    health.withDetail("queues", byQueue);
    if (workers != null) {
      health.withDetail(
          "workers", Map.of("busy", workers.pool().busyWorkers(), "total", workers.workers()));
      if (workers.pool().renewalsFailing()) {
        health.down().withDetail("error", "lease renewals failing");
        return;
      }
    }
    health.up();
  }
}
