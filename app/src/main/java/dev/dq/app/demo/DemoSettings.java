package dev.dq.app.demo;

import dev.dq.app.config.WorkerSettings;
import java.util.Objects;

/**
 * Settings of {@code dq demo}.
 *
 * @param pool how the worker pool runs
 * @param tasks tasks to publish
 * @param seed drives the simulated durations and failures: the same seed gives each task the same
 *     outcome
 */
public record DemoSettings(WorkerSettings pool, int tasks, long seed) {
  public DemoSettings {
    Objects.requireNonNull(pool, "pool");
    if (tasks < 1) {
      throw new IllegalArgumentException("tasks must be >= 1: " + tasks);
    }
  }
}
