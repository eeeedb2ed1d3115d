package dev.dq.app.run;

import dev.dq.app.config.WorkerSettings;
import java.util.Objects;

/**
 * Settings of {@code dq run}.
 *
 * @param pool how the worker pool runs
 * @param metrics where /metrics and /health listen
 * @param flakyRate failure probability of the built-in {@code flaky} handler when a payload names
 *     none
 */
public record RunSettings(WorkerSettings pool, MetricsSettings metrics, double flakyRate) {
  /**
   * Unregistered task types (and queues beyond those served) that still get their own metric label
   * value.
   */
  public static final int LABEL_CAP = 20;

  public RunSettings {
    Objects.requireNonNull(pool, "pool");
    Objects.requireNonNull(metrics, "metrics");
    if (!(flakyRate >= 0 && flakyRate <= 1)) {
      throw new IllegalArgumentException("flakyRate must be in [0, 1]: " + flakyRate);
    }
  }
}
