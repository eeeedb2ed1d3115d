package dev.dq.chaos.harness;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a harness run is sized.
 *
 * @param workers {@code dq run} processes
 * @param threads worker threads in each
 * @param producers producer processes
 * @param rate tasks per second of each producer
 * @param maxWorkMillis a task's handler works 1..this many milliseconds
 * @param leaseTime the workers' {@code --lease-time}
 * @param seed seeds fault choice, timing and task work
 * @param dir where servers, ledgers and process output go
 * @param classpath the classpath of the JVMs the harness starts (its own)
 * @param redisServer the {@code redis-server} binary
 */
public record Options(
    int workers,
    int threads,
    int producers,
    int rate,
    int maxWorkMillis,
    Duration leaseTime,
    long seed,
    Path dir,
    String classpath,
    Path redisServer) {

  /** Checks each value, naming the bad one. */
  public Options {
    atLeast("workers", workers, 1);
    atLeast("threads", threads, 1);
    atLeast("producers", producers, 1);
    atLeast("rate", rate, 1);
    atLeast("max work ms", maxWorkMillis, 1);
    if (leaseTime.toMillis() < 300) {
      throw new IllegalArgumentException("lease time must be >= 300 ms: " + leaseTime.toMillis());
    }
  }

  private static void atLeast(String what, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(what + " must be >= " + min + ": " + value);
    }
  }

  /**
   * The seed of one scenario: the run's seed mixed with the scenario's name, so a scenario draws
   * the same faults whichever other scenarios run with it.
   *
   * @param scenario the scenario's name
   * @return its seed
   */
  public long seedOf(String scenario) {
    return seed * 31 + scenario.hashCode();
  }
}
