package dev.dq.chaos.harness;

import dev.dq.chaos.process.RedisServer;
import dev.dq.chaos.process.RedisTopology;
import dev.dq.chaos.proxy.FaultProxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each client process reaches Redis: straight to its port, or through a {@link FaultProxy} of
 * its own so that network faults can hit one process or all.
 */
public final class Links implements AutoCloseable {
  private final RedisTopology redis;
  private final boolean proxied;
  private final Map<String, FaultProxy> proxies = new LinkedHashMap<>();

  private Links(RedisTopology redis, boolean proxied) {
    this.redis = redis;
    this.proxied = proxied;
  }

  /**
   * @throws IllegalArgumentException if {@code proxied} and {@code redis} is not one server: a
   *     proxy forwards to one port
   */
  static Links create(RedisTopology redis, boolean proxied) {
    if (proxied && !(redis instanceof RedisServer)) {
      throw new IllegalArgumentException("fault proxies need a single redis-server: " + redis);
    }
    return new Links(redis, proxied);
  }

  /**
   * The Redis URL process {@code name} connects to; the first call makes its proxy.
   *
   * @param name the process
   * @return its URL
   */
  synchronized String url(String name) {
    if (!proxied) {
      return redis.url();
    }
    int port = ((RedisServer) redis).port();
    FaultProxy proxy = proxies.computeIfAbsent(name, n -> FaultProxy.start(n, port));
    return "redis://127.0.0.1:" + proxy.port();
  }

  /**
   * The proxy of process {@code name}.
   *
   * @param name the process
   * @return its proxy
   * @throws IllegalStateException if clients are not proxied or the process has none
   */
  synchronized FaultProxy of(String name) {
    FaultProxy p = proxies.get(name);
    if (p == null) {
      throw new IllegalStateException("no fault proxy for " + name + " (proxied: " + proxied + ")");
    }
    return p;
  }

  /**
   * Every proxy, workers' and producers'.
   *
   * @return the proxies
   */
  synchronized List<FaultProxy> all() {
    return new ArrayList<>(proxies.values());
  }

  /** Lifts every network fault. */
  void heal() {
    for (FaultProxy p : all()) {
      p.pass();
      p.cutReplies(0); // a cut budget left over would cut commands long after its fault
    }
  }

  @Override
  public void close() {
    all().forEach(FaultProxy::close);
  }
}
