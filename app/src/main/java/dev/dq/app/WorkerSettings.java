package dev.dq.app;

import java.time.Duration;
import java.util.Objects;

/**
 * How the worker pool runs.
 *
 * @param workers worker threads
 * @param maxAttempts attempts per task, the first included, before it is dead-lettered
 * @param grace how long stop waits for running handlers before interrupting them
 */
record WorkerSettings(int workers, int maxAttempts, Duration grace) {
  WorkerSettings {
    if (workers < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("workers and maxAttempts must be >= 1: " + workers + ", " + maxAttempts);
    }
    Objects.requireNonNull(grace, "grace");
  }
}
