package dev.dq.app.wiring;

import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.app.config.ServerStats;
import dev.dq.core.task.TaskQueueException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code INFO cpu} and {@code INFO commandstats} of the Redis a bench runs on, read through a
 * broker of its own ({@link RedisBroker#serverCounters()}), so every URL form, TLS and ACL user the
 * adapter takes works here too. A cluster has no single server to ask: the bench reports no server
 * figures there.
 */
final class RedisServerStats implements ServerStats {
  private final Supplier<RedisBrokerConfig> config;
  private RedisBroker broker;

  private RedisServerStats(Supplier<RedisBrokerConfig> config) {
    this.config = config;
  }

  /**
   * Stats of the server {@code config} names, or {@link ServerStats#NONE} for a cluster. Does not
   * connect.
   */
  static ServerStats of(RedisBrokerConfig.Builder config) {
    RedisBrokerConfig built = config.poolSize(1).build();
    return built.cluster() ? ServerStats.NONE : new RedisServerStats(() -> built);
  }

  @Override
  public Map<String, String> read() {
    try {
      if (broker == null) {
        broker = RedisBroker.connect(config.get());
      }
      return broker.serverCounters();
    } catch (TaskQueueException e) {
      throw new UncheckedIOException(
          new IOException("cannot read the Redis server's counters: " + e.getMessage(), e));
    }
  }

  @Override
  public void close() {
    if (broker != null) {
      broker.close();
      broker = null;
    }
  }
}
