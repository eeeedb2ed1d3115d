package dev.dq.app;

import java.util.Objects;

/**
 * Where {@code dq run} serves /metrics and /health.
 *
 * @param bind address to listen on; loopback by default, so metrics are not exposed by accident
 * @param port TCP port; 0 means no metrics server
 */
record MetricsSettings(String bind, int port) {
  MetricsSettings {
    Objects.requireNonNull(bind, "bind");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
    }
  }

  boolean enabled() {
    return port != 0;
  }
}
