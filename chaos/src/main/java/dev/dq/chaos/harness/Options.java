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
    Path redisServer) {}
