package dev.dq.app.bench;

import java.util.Map;
import java.util.Optional;

/**
 * One row of a bench run.
 *
 * @param name what was measured: {@code enqueue}, {@code process}, {@code latency} or a baseline
 * @param tasks how many tasks it moved
 * @param seconds wall time of the measured part
 * @param latency enqueue-to-start latencies, for the latency mode
 * @param notes extra figures (heap, Redis memory per task), in insertion order
 */
record BenchResult(
    String backend,
    String name,
    long tasks,
    double seconds,
    Optional<Latencies> latency,
    Map<String, Object> notes) {

  public BenchResult {
    notes = Map.copyOf(notes);
  }

  public double perSecond() {
    return seconds > 0 ? tasks / seconds : 0;
  }
}
