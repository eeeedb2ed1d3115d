package dev.dq.bench;

import dev.dq.core.retry.ExponentialBackoff;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Cost of computing one retry delay, with and without jitter. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BackoffBenchmark {
  @Param({"0.0", "0.5"})
  public double jitter;

  @Param({"1", "10"})
  public int attempt;

  private final SplittableRandom random = new SplittableRandom(42);
  private ExponentialBackoff backoff;

  @org.openjdk.jmh.annotations.Setup
  public void setUp() {
    backoff = ExponentialBackoff.DEFAULT.withJitter(jitter);
  }

  @Benchmark
  public Duration delay() {
    return backoff.delay(attempt, random);
  }
}
