package dev.dq.app;

import java.util.Objects;

/**
 * Settings every command shares.
 *
 * @param broker key of {@link BrokerModules#BY_NAME}
 * @param logFormat how logs are written to stderr
 */
record AppSettings(String broker, LogFormat logFormat) {
  AppSettings {
    if (!BrokerModules.BY_NAME.containsKey(broker)) {
      throw new IllegalArgumentException("unknown broker: " + broker);
    }
    Objects.requireNonNull(logFormat, "logFormat");
  }
}
