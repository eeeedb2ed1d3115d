package dev.dq.micrometer;

import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.QueuePauses;
import dev.dq.core.port.QueueStats;
import dev.dq.core.worker.RateLimitedLog;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counts of a fixed list of queues, read from the broker at most once per {@code ttl}: every
 * queue gauge of one scrape reads the same snapshot, so a scrape costs one read per queue, not one
 * per gauge. Empty when the broker could not be read (logged at most every few seconds).
 */
final class QueueSnapshot {
  private static final Logger log = LoggerFactory.getLogger(QueueSnapshot.class);

  /** The counts of one queue at one moment. */
  record Counts(QueueStats stats, long dead, boolean paused) {}

  private final Broker broker;
  private final DeadLetterQueue deadLetters;
  private final List<String> queues;
  private final Duration ttl;
  private final InstantSource clock;
  private final RateLimitedLog errors;
  private Map<String, Counts> snapshot;
  private long readAtMillis;

  QueueSnapshot(
      Broker broker,
      DeadLetterQueue deadLetters,
      List<String> queues,
      Duration ttl,
      InstantSource clock) {
    this.broker = broker;
    this.deadLetters = deadLetters;
    this.queues = List.copyOf(queues);
    this.ttl = ttl;
    this.clock = clock;
    this.errors = new RateLimitedLog(log, clock, Duration.ofSeconds(5));
  }

  /** Counts per queue, at most {@code ttl} old; empty when the broker could not be read. */
  synchronized Map<String, Counts> counts() {
    long now = clock.millis();
    if (snapshot == null || now - readAtMillis >= ttl.toMillis() || now < readAtMillis) {
      snapshot = read();
      readAtMillis = now;
    }
    return snapshot;
  }

  /** One queue's value, or NaN (Micrometer's "no value") when the broker could not be read. */
  double value(String queue, java.util.function.ToDoubleFunction<Counts> f) {
    Counts c = counts().get(queue);
    return c == null ? Double.NaN : f.applyAsDouble(c);
  }

  private Map<String, Counts> read() {
    try {
      Map<String, Counts> counts = new LinkedHashMap<>();
      for (String queue : queues) {
        boolean paused = broker instanceof QueuePauses p && p.pauseOf(queue).isPresent();
        counts.put(queue, new Counts(broker.stats(queue), deadLetters.size(queue), paused));
      }
      return counts;
    } catch (RuntimeException e) {
      errors.warn("reading queue counts for metrics failed", e);
      return Map.of();
    }
  }
}
