package dev.dq.bench;

import dev.dq.adapter.redis.RedisTaskFormat;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskLimits;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Redis adapter's task JSON codec (wire format v1): one encode on every enqueue, one decode on
 * every claim. Measured through {@link RedisTaskFormat}, the adapter's public face of the same
 * codec.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TaskCodecBenchmark {
  @Param({"100", "4096"})
  public int payloadBytes;

  private final RedisTaskFormat codec = new RedisTaskFormat(TaskLimits.DEFAULT);
  private Task task;
  private String json;

  @Setup
  public void setUp() {
    byte[] payload = new byte[payloadBytes];
    Arrays.fill(payload, (byte) 'x');
    task =
        Task.builder("echo")
            .payload(payload)
            .header("trace-id", "4bf92f3577b34da6a3ce929d0e0e4736")
            .createdAt(Instant.parse("2024-01-01T00:00:00Z"))
            .build();
    json = codec.encode(task);
    // Fail at setup, not with a misleading score, if the round trip is broken.
    if (!codec.decode(json, task.id().value(), task.queue()).equals(task)) {
      throw new IllegalStateException("codec round trip changed the task");
    }
  }

  @Benchmark
  public String encode() {
    return codec.encode(task);
  }

  @Benchmark
  public Task decode() {
    return codec.decode(json, task.id().value(), task.queue());
  }
}
