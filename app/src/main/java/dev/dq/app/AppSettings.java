package dev.dq.app;

import java.util.Objects;

/**
 * Settings every command shares.
 *
 * @param broker key of {@link BrokerModules#BY_NAME}
 * @param logFormat how logs are written to stderr
 * @param redisUrl where the {@code redis} broker connects (checked when that broker is chosen)
 * @param queueCapacity most waiting (ready + delayed) tasks per queue, for either broker
 */
record AppSettings(String broker, LogFormat logFormat, String redisUrl, int queueCapacity) {
  static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
  static final int DEFAULT_QUEUE_CAPACITY = 100_000;
  static final int MAX_QUEUE_CAPACITY = 100_000_000;

  AppSettings {
    if (!BrokerModules.BY_NAME.containsKey(broker)) {
      throw new IllegalArgumentException("unknown broker: " + broker);
    }
    Objects.requireNonNull(logFormat, "logFormat");
    Objects.requireNonNull(redisUrl, "redisUrl");
    if (queueCapacity < 1 || queueCapacity > MAX_QUEUE_CAPACITY) {
      throw new IllegalArgumentException("queueCapacity must be 1.." + MAX_QUEUE_CAPACITY + ": " + queueCapacity);
    }
  }

  AppSettings(String broker, LogFormat logFormat, String redisUrl) {
    this(broker, logFormat, redisUrl, DEFAULT_QUEUE_CAPACITY);
  }

  AppSettings(String broker, LogFormat logFormat) {
    this(broker, logFormat, DEFAULT_REDIS_URL);
  }
}
