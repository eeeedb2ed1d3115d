package dev.dq.app.run;

import dev.dq.app.lifecycle.Lifecycle;
import dev.dq.app.metrics.CronMetrics;
import dev.dq.core.port.Broker;
import dev.dq.core.schedule.ScheduleHost;
import dev.dq.cron.CronScheduler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cron scheduler of {@code dq run} as a lifecycle service: fires the schedules of the queues
 * the process serves; none when the broker keeps no schedules.
 */
final class CronService {
  private CronService() {}

  static Optional<Lifecycle.Service> of(
      Broker broker, List<String> queues, PrometheusRegistry registry) {
    if (!(broker instanceof ScheduleHost host)) {
      return Optional.empty();
    }
    CronMetrics metrics = new CronMetrics(registry, Set.copyOf(queues), RunSettings.LABEL_CAP);
    AtomicReference<CronScheduler> scheduler = new AtomicReference<>();
    return Optional.of(
        new Lifecycle.Service(
            "cron scheduler",
            () ->
                scheduler.set(
                    new CronScheduler(
                            host.schedules(),
                            queues,
                            CronScheduler.DEFAULT_GRACE,
                            CronScheduler.DEFAULT_POLL,
                            metrics)
                        .start()),
            () -> {
              CronScheduler s = scheduler.get();
              if (s != null) {
                s.close();
              }
            }));
  }
}
