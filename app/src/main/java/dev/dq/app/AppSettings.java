package dev.dq.app;

import java.util.Objects;

/**
 * Settings every command shares.
 *
 * @param broker key of {@link BrokerModules#BY_NAME}
 * @param logFormat how logs are written to stderr
 * @param redisUrl where the {@code redis} broker connects (checked when that broker is chosen)
 */
record AppSettings(String broker, LogFormat logFormat, String redisUrl) {
  static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

  AppSettings {
    if (!BrokerModules.BY_NAME.containsKey(broker)) {
      throw new IllegalArgumentException("unknown broker: " + broker);
    }
    Objects.requireNonNull(logFormat, "logFormat");
    Objects.requireNonNull(redisUrl, "redisUrl");
  }

  AppSettings(String broker, LogFormat logFormat) {
    this(broker, logFormat, DEFAULT_REDIS_URL);
  }
}
