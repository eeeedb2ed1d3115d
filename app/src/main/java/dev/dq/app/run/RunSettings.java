package dev.dq.app.run;

import dev.dq.app.config.WorkerSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@code dq run}.
 *
 * @param pool how the worker pool runs
 * @param metrics where /metrics and /health listen
 * @param flakyRate failure probability of the built-in {@code flaky} handler when a payload names
 *     none
 * @param startupWait how long start-up waits for a broker that is unavailable before it fails
 */
public record RunSettings(
    WorkerSettings pool, MetricsSettings metrics, double flakyRate, Duration startupWait) {

  /** How long start-up waits for an unavailable broker unless told otherwise. */
  public static final Duration DEFAULT_STARTUP_WAIT = Duration.ofSeconds(30);

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
    if (startupWait.isNegative()) {
      throw new IllegalArgumentException("startupWait must not be negative: " + startupWait);
    }
  }

  /**
   * Settings with the {@linkplain #DEFAULT_STARTUP_WAIT default start-up wait}.
   *
   * @param pool how the worker pool runs
   * @param metrics where /metrics and /health listen
   * @param flakyRate failure probability of the built-in {@code flaky} handler
   */
  public RunSettings(WorkerSettings pool, MetricsSettings metrics, double flakyRate) {
    this(pool, metrics, flakyRate, DEFAULT_STARTUP_WAIT);
  }
}
