package dev.dq.app.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the worker pool runs.
 *
 * @param workers worker threads
 * @param maxAttempts attempts per task, the first included, before it is dead-lettered
 * @param grace how long stop waits for running handlers before interrupting them
 * @param queues queues to serve, at least one
 * @param timeouts handler time limit per task type
 * @param concurrency most handlers of one task type at once, per type
 * @param prefetch tasks a worker claims per broker call, and successes it acks per call
 * @param leaseTime how long a delivery is held before another worker may take it; leases of running
 *     tasks are renewed every third of it, so it bounds how soon a dead worker's tasks run again
 * @param weights the weights given to served queues (the others weigh 1)
 * @param strict serve the queues in the order given instead of by weight; excludes weights
 */
public record WorkerSettings(
    int workers,
    int maxAttempts,
    Duration grace,
    List<String> queues,
    Map<String, Duration> timeouts,
    Map<String, Integer> concurrency,
    int prefetch,
    Duration leaseTime,
    Map<String, Integer> weights,
    boolean strict) {
  /** The lease time of the worker pool's default. */
  public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(8);

  /** Most worker threads of one pool. */
  public static final int MAX_WORKERS = 1024;

  /** Most attempts per task that a command accepts. */
  public static final int MAX_ATTEMPTS = 100;

  public WorkerSettings {
    if (prefetch < 1) {
      throw new IllegalArgumentException("prefetch must be >= 1: " + prefetch);
    }
    if (workers < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException(
          "workers and maxAttempts must be >= 1: " + workers + ", " + maxAttempts);
    }
    Objects.requireNonNull(grace, "grace");
    if (leaseTime.isNegative() || leaseTime.isZero()) {
      throw new IllegalArgumentException("leaseTime must be positive: " + leaseTime);
    }
    queues = List.copyOf(queues);
    if (queues.isEmpty()) {
      throw new IllegalArgumentException("queues must not be empty");
    }
    timeouts = Map.copyOf(timeouts);
    concurrency = Map.copyOf(concurrency);
    weights = Map.copyOf(weights);
    if (strict && !weights.isEmpty()) {
      throw new IllegalArgumentException("strict order takes no weights: " + weights);
    }
  }

  /**
   * Settings whose queues all weigh 1 and are served by weight.
   *
   * @param workers worker threads
   * @param maxAttempts attempts per task, the first included
   * @param grace how long stop waits for running handlers
   * @param queues queues to serve, at least one
   * @param timeouts handler time limit per task type
   * @param concurrency most handlers of one task type at once, per type
   * @param prefetch tasks a worker claims per broker call
   * @param leaseTime how long a delivery is held
   */
  public WorkerSettings(
      int workers,
      int maxAttempts,
      Duration grace,
      List<String> queues,
      Map<String, Duration> timeouts,
      Map<String, Integer> concurrency,
      int prefetch,
      Duration leaseTime) {
    this(
        workers,
        maxAttempts,
        grace,
        queues,
        timeouts,
        concurrency,
        prefetch,
        leaseTime,
        Map.of(),
        false);
  }

  /** The demo's settings: the default queue, no timeouts, no per-type limits. */
  public WorkerSettings(int workers, int maxAttempts, Duration grace) {
    this(
        workers,
        maxAttempts,
        grace,
        List.of(dev.dq.core.task.Task.DEFAULT_QUEUE),
        Map.of(),
        Map.of(),
        1,
        DEFAULT_LEASE_TIME);
  }
}
