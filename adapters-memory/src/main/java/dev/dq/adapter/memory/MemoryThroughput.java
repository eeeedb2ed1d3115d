package dev.dq.adapter.memory;

import dev.dq.core.ops.Throughput;
import dev.dq.core.ops.ThroughputCounts;
import dev.dq.core.ops.ThroughputPoint;
import dev.dq.core.task.Names;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The per-minute throughput of an {@link InMemoryBroker}'s queues: per queue, counts by minute of
 * the broker's clock, the minutes older than {@link Throughput#MAX_MINUTES} dropped on each record.
 * Thread-safe by its own monitor.
 */
final class MemoryThroughput {
  private final InstantSource clock;
  private final Map<String, TreeMap<Long, ThroughputCounts>> byQueue = new HashMap<>();

  MemoryThroughput(InstantSource clock) {
    this.clock = clock;
  }

  synchronized void record(String queue, ThroughputCounts counts) {
    Names.check("queue", queue);
    Objects.requireNonNull(counts, "counts");
    long minute = minuteNow();
    TreeMap<Long, ThroughputCounts> minutes = byQueue.computeIfAbsent(queue, q -> new TreeMap<>());
    minutes.merge(minute, counts, ThroughputCounts::plus);
    minutes.headMap(minute - Throughput.MAX_MINUTES, true).clear();
  }

  /** Drops a deleted queue's history. */
  synchronized void forget(String queue) {
    byQueue.remove(queue);
  }

  synchronized List<ThroughputPoint> history(String queue, int minutes) {
    Names.check("queue", queue);
    Throughput.checkMinutes(minutes);
    long now = minuteNow();
    TreeMap<Long, ThroughputCounts> kept = byQueue.getOrDefault(queue, new TreeMap<>());
    List<ThroughputPoint> points = new ArrayList<>(minutes);
    for (long m = now - minutes + 1; m <= now; m++) {
      points.add(
          new ThroughputPoint(
              Instant.ofEpochMilli(m * 60_000), kept.getOrDefault(m, ThroughputCounts.NONE)));
    }
    return points;
  }

  private long minuteNow() {
    return Math.floorDiv(clock.millis(), 60_000L);
  }
}
