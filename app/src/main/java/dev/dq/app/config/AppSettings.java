package dev.dq.app.config;

import dev.dq.app.logging.LogFormat;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings every command shares.
 *
 * @param broker name of the backend, one of {@link Backends#names()} (checked where it is read)
 * @param logFormat how logs are written to stderr
 * @param redisUrl where the {@code redis} broker connects (checked when that broker is chosen)
 * @param queueCapacity most waiting (ready + delayed) tasks per queue, for either broker
 * @param durableReplicas replicas that must confirm each enqueue (Redis WAIT); 0 = none
 * @param durableTimeout longest wait for those confirmations
 */
public record AppSettings(
    String broker,
    LogFormat logFormat,
    String redisUrl,
    int queueCapacity,
    int durableReplicas,
    Duration durableTimeout) {
  public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
  public static final int DEFAULT_QUEUE_CAPACITY = 100_000;
  public static final int MAX_QUEUE_CAPACITY = 100_000_000;
  public static final int MAX_DURABLE_REPLICAS = 100;
  public static final Duration DEFAULT_DURABLE_TIMEOUT = Duration.ofMillis(500);

  /** Below the Redis broker's 2 s socket timeout, on which WAIT blocks. */
  public static final Duration MAX_DURABLE_TIMEOUT = Duration.ofMillis(1500);

  public AppSettings {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(logFormat, "logFormat");
    Objects.requireNonNull(redisUrl, "redisUrl");
    if (queueCapacity < 1 || queueCapacity > MAX_QUEUE_CAPACITY) {
      throw new IllegalArgumentException(
          "queueCapacity must be 1.." + MAX_QUEUE_CAPACITY + ": " + queueCapacity);
    }
    if (durableReplicas < 0 || durableReplicas > MAX_DURABLE_REPLICAS) {
      throw new IllegalArgumentException(
          "durableReplicas must be 0.." + MAX_DURABLE_REPLICAS + ": " + durableReplicas);
    }
    Objects.requireNonNull(durableTimeout, "durableTimeout");
  }

  public AppSettings(String broker, LogFormat logFormat, String redisUrl, int queueCapacity) {
    this(broker, logFormat, redisUrl, queueCapacity, 0, DEFAULT_DURABLE_TIMEOUT);
  }

  public AppSettings(String broker, LogFormat logFormat, String redisUrl) {
    this(broker, logFormat, redisUrl, DEFAULT_QUEUE_CAPACITY);
  }

  public AppSettings(String broker, LogFormat logFormat) {
    this(broker, logFormat, DEFAULT_REDIS_URL);
  }
}
