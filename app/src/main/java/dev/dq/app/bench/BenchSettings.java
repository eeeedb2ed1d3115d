package dev.dq.app.bench;

import java.util.Set;

/**
 * What {@code dq bench} runs.
 *
 * @param tasks tasks per mode
 * @param workers worker threads of the pool (process and latency modes)
 * @param payloadBytes payload size of every task
 * @param prefetch tasks a worker claims per broker call in the process mode (latency always claims
 *     one)
 * @param batch tasks per enqueue call when filling a queue
 * @param latencySamples tasks sent one at a time in the latency mode
 */
record BenchSettings(
    int tasks,
    int workers,
    int payloadBytes,
    int prefetch,
    int batch,
    int latencySamples,
    Set<Mode> modes) {

  /** What can be measured. */
  public enum Mode {
    ENQUEUE,
    PROCESS,
    LATENCY
  }

  public BenchSettings {
    positive("tasks", tasks);
    positive("workers", workers);
    positive("prefetch", prefetch);
    positive("batch", batch);
    positive("latency samples", latencySamples);
    if (payloadBytes < 0) {
      throw new IllegalArgumentException("payload bytes must be >= 0: " + payloadBytes);
    }
    if (modes.isEmpty()) {
      throw new IllegalArgumentException("at least one mode is needed");
    }
    modes = Set.copyOf(modes);
  }

  private static void positive(String what, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(what + " must be >= 1: " + value);
    }
  }
}
