package dev.dq.app.config;

import dev.dq.app.logging.LogFormat;
import java.util.Objects;

/**
 * Settings every command shares.
 *
 * @param broker name of the backend, one of {@link Backends#names()} (checked where it is read)
 * @param logFormat how logs are written to stderr
 * @param redisUrl where the {@code redis} broker connects (checked when that broker is chosen)
 * @param queueCapacity most waiting (ready + delayed) tasks per queue, for either broker
 */
public record AppSettings(String broker, LogFormat logFormat, String redisUrl, int queueCapacity) {
  public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
  public static final int DEFAULT_QUEUE_CAPACITY = 100_000;
  public static final int MAX_QUEUE_CAPACITY = 100_000_000;

  public AppSettings {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(logFormat, "logFormat");
    Objects.requireNonNull(redisUrl, "redisUrl");
    if (queueCapacity < 1 || queueCapacity > MAX_QUEUE_CAPACITY) {
      throw new IllegalArgumentException(
          "queueCapacity must be 1.." + MAX_QUEUE_CAPACITY + ": " + queueCapacity);
    }
  }

  public AppSettings(String broker, LogFormat logFormat, String redisUrl) {
    this(broker, logFormat, redisUrl, DEFAULT_QUEUE_CAPACITY);
  }

  public AppSettings(String broker, LogFormat logFormat) {
    this(broker, logFormat, DEFAULT_REDIS_URL);
  }
}
