package dev.dq.chaos.harness;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How each client process reaches Redis: straight to its port, or through a fault proxy of its own
 * so that network faults can hit one process or all.
 */
public final class Links implements AutoCloseable {
  private final int redisPort;
  private final boolean proxied;
  private final Map<String, Integer> ports = new LinkedHashMap<>();

  private Links(int redisPort, boolean proxied) {
    this.redisPort = redisPort;
    this.proxied = proxied;
  }

  static Links create(int redisPort, boolean proxied) {
    if (proxied) {
      throw new UnsupportedOperationException("fault proxies are not wired yet");
    }
    return new Links(redisPort, proxied);
  }

  /**
   * The Redis URL process {@code name} connects to.
   *
   * @param name the process
   * @return its URL
   */
  String url(String name) {
    return "redis://127.0.0.1:" + ports.computeIfAbsent(name, n -> redisPort);
  }

  /** Lifts every network fault. */
  void heal() {}

  @Override
  public void close() {}
}
