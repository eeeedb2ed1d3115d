package dev.dq.core.worker;

import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.QueuePauses;
import dev.dq.core.port.QueueStats;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counts of some queues (ready, in flight, delayed, dead, paused), read from the broker at most
 * once per {@code ttl}, for metrics: every queue gauge of one scrape reads the same snapshot, so a
 * scrape costs one read per queue, not one per gauge. Empty when the broker could not be read (the
 * error logged at most every few seconds), which {@link #reachable()} tells apart from a broker
 * with no queues. Thread-safe.
 */
public final class QueueSnapshot {
  private static final Logger log = LoggerFactory.getLogger(QueueSnapshot.class);

  /**
   * The counts of one queue at one moment.
   *
   * @param stats ready, in flight and delayed
   * @param dead tasks in the dead-letter queue
   * @param paused whether the queue is paused (false for a broker without {@link QueuePauses})
   */
  public record Counts(QueueStats stats, long dead, boolean paused) {}

  private final Broker broker;
  private final DeadLetterQueue deadLetters;
  private final Supplier<? extends Collection<String>> queues;
  private final Duration ttl;
  private final InstantSource clock;
  private final RateLimitedLog errors;
  private Map<String, Counts> snapshot;
  private boolean readSucceeded;
  private long readAtMillis;

  /**
   * A snapshot not read yet.
   *
   * @param broker the broker to read
   * @param deadLetters its dead-letter queue
   * @param queues the queues to read, asked at each read (it may ask the broker too)
   * @param ttl how long one read serves, at least 1 ms
   * @param clock measures the read's age
   * @throws IllegalArgumentException {@code ttl} is below 1 ms
   */
  public QueueSnapshot(
      Broker broker,
      DeadLetterQueue deadLetters,
      Supplier<? extends Collection<String>> queues,
      Duration ttl,
      InstantSource clock) {
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be >= 1ms: " + ttl);
    }
    this.broker = Objects.requireNonNull(broker, "broker");
    this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    this.queues = Objects.requireNonNull(queues, "queues");
    this.ttl = ttl;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.errors = new RateLimitedLog(log, clock, Duration.ofSeconds(5));
  }

  /**
   * Counts per queue, in the order the queues came, at most {@code ttl} old.
   *
   * @return the counts; empty when the broker could not be read
   */
  public synchronized Map<String, Counts> counts() {
    long now = clock.millis();
    if (snapshot == null || now - readAtMillis >= ttl.toMillis() || now < readAtMillis) {
      snapshot = read();
      readAtMillis = now;
    }
    return snapshot;
  }

  /**
   * Whether the read behind {@link #counts()} succeeded (reading now if it is older than {@code
   * ttl}): an empty {@link #counts()} means "unreachable" when false, "no queues" when true.
   *
   * @return true if the broker was read
   */
  public synchronized boolean reachable() {
    counts();
    return readSucceeded;
  }

  private Map<String, Counts> read() {
    try {
      Map<String, Counts> counts = new LinkedHashMap<>();
      for (String queue : queues.get()) {
        boolean paused = broker instanceof QueuePauses p && p.pauseOf(queue).isPresent();
        counts.put(queue, new Counts(broker.stats(queue), deadLetters.size(queue), paused));
      }
      readSucceeded = true;
      return Collections.unmodifiableMap(counts);
    } catch (RuntimeException e) {
      readSucceeded = false;
      errors.warn("reading queue counts for metrics failed", e);
      return Map.of();
    }
  }
}
