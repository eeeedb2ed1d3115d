package dev.dq.bench;

import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/** The in-memory broker's hot path: one task through enqueue, dequeue and ack. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InMemoryBrokerBenchmark {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");

  private InMemoryBroker broker;

  @Setup(Level.Iteration)
  public void setUp() {
    broker = InMemoryBroker.builder().capacity(1 << 20).build();
  }

  @TearDown(Level.Iteration)
  public void tearDown() {
    broker.close();
  }

  @Benchmark
  @Threads(1)
  public Lease roundTrip_oneThread() throws InterruptedException {
    return roundTrip();
  }

  @Benchmark
  @Threads(4)
  public Lease roundTrip_fourThreads() throws InterruptedException {
    return roundTrip();
  }

  private Lease roundTrip() throws InterruptedException {
    broker.enqueue(Task.builder("noop").createdAt(CREATED).build(), Duration.ZERO);
    Lease lease = broker.dequeue(Task.DEFAULT_QUEUE, LEASE, Duration.ZERO).orElseThrow();
    broker.ack(lease);
    return lease;
  }
}
