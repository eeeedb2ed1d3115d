package dev.dq.app.run;

import java.util.Objects;

/**
 * Where {@code dq run} serves /metrics and /health.
 *
 * @param bind address to listen on; loopback by default, so metrics are not exposed by accident
 * @param port TCP port; 0 means no metrics server
 */
public record MetricsSettings(String bind, int port) {
  public MetricsSettings {
    Objects.requireNonNull(bind, "bind");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
    }
  }

  public boolean enabled() {
    return port != 0;
  }
}
