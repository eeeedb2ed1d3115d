package dev.dq.adapter.redis;

import dev.dq.core.port.BrokerClosedException;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.Pool;

/**
 * What {@link RedisBroker} and {@link RedisDeadLetterQueue} share: the clients, the scripts, the codec and the
 * translation of every Jedis failure into a port exception.
 *
 * <p>Commands (scripts, reads) use {@link #jedis()}. Blocking waits use {@link #block}, on a client of their own when
 * this instance owns its connections, so that a waiting reader never holds a connection a command needs.
 */
final class RedisOps {
  private final UnifiedJedis jedis;
  private final boolean ownsClient;
  /** Builds the client for blocking waits on first use; null: they share {@link #jedis} (a client the caller owns). */
  private final Supplier<UnifiedJedis> waitClientFactory;
  private final Object waitClientLock = new Object();
  private UnifiedJedis waitClient;
  private boolean waitClientClosed;
  private final RedisBrokerConfig config;
  private final Scripts scripts;
  private final TaskCodec codec;
  private final String endpoint;
  private final QueueRegistry queues;

  RedisOps(UnifiedJedis jedis, Supplier<UnifiedJedis> waitClientFactory, RedisBrokerConfig config) {
    this.jedis = jedis;
    this.ownsClient = waitClientFactory != null;
    this.waitClientFactory = waitClientFactory;
    this.config = config;
    this.scripts = new Scripts(jedis);
    this.codec = new TaskCodec(config.limits());
    this.endpoint = config.url().endpoint();
    this.queues = new QueueRegistry(this, () -> config.testClock()
        .map(InstantSource::millis)
        .orElseGet(() -> System.nanoTime() / 1_000_000));
  }

  RedisBrokerConfig config() {
    return config;
  }

  TaskCodec codec() {
    return codec;
  }

  UnifiedJedis jedis() {
    return jedis;
  }

  long scriptReloads() {
    return scripts.reloads();
  }

  /** "Now" for a script's last ARGV: empty, so the script reads the Redis server's TIME, unless a test clock is set. */
  String now() {
    return config.testClock().map(c -> Long.toString(c.millis())).orElse("");
  }

  Object script(String what, Script script, List<String> keys, List<String> args) {
    return call(what, () -> scripts.run(script, keys, args));
  }

  /** Like {@link #script}, but tries once more on a fresh connection after a connection failure. */
  Object scriptRetryingOnce(String what, Script script, List<String> keys, List<String> args) {
    return callRetryingOnce(what, () -> scripts.run(script, keys, args), null);
  }

  /**
   * Like {@link #scriptRetryingOnce(String, Script, List, List)}; sets {@code retried} when the first try failed on
   * its connection, in which case it may or may not have run.
   */
  Object scriptRetryingOnce(String what, Script script, List<String> keys, List<String> args, AtomicBoolean retried) {
    return callRetryingOnce(what, () -> scripts.run(script, keys, args), retried);
  }

  <T> T call(String what, Supplier<T> op) {
    try {
      return op.get();
    } catch (RuntimeException e) {
      if (RedisErrors.isConnectionFailure(e)) {
        dropIdleConnections(jedis);
      }
      throw RedisErrors.translate(e, what, endpoint);
    }
  }

  /**
   * Runs a blocking command (BLMPOP) on the wait client, never on a connection of the command pool. After a
   * connection failure the wait client's idle connections are dropped, as {@link #call} does for commands.
   */
  <T> T block(String what, Function<UnifiedJedis, T> op) {
    UnifiedJedis client;
    try {
      client = waitClient();
    } catch (RuntimeException e) {
      throw RedisErrors.translate(e, what, endpoint); // a cluster client reads the slot map as it is built
    }
    try {
      return op.apply(client);
    } catch (RuntimeException e) {
      if (RedisErrors.isConnectionFailure(e)) {
        dropIdleConnections(client);
      }
      throw RedisErrors.translate(e, what, endpoint);
    }
  }

  private UnifiedJedis waitClient() {
    if (waitClientFactory == null) {
      return jedis;
    }
    synchronized (waitClientLock) {
      if (waitClientClosed) {
        throw new BrokerClosedException("broker closed: it waits for no more tasks");
      }
      if (waitClient == null) {
        waitClient = waitClientFactory.get();
      }
      return waitClient;
    }
  }

  /**
   * After a Redis restart or CLIENT KILL every pooled connection is dead, and each would fail once. The first failure
   * therefore drops the idle ones, and one retry then runs on a new connection.
   */
  <T> T callRetryingOnce(String what, Supplier<T> op) {
    return callRetryingOnce(what, op, null);
  }

  private <T> T callRetryingOnce(String what, Supplier<T> op, AtomicBoolean retried) {
    try {
      return op.get();
    } catch (RuntimeException e) {
      if (!RedisErrors.isConnectionFailure(e)) {
        throw RedisErrors.translate(e, what, endpoint);
      }
      dropIdleConnections(jedis);
    }
    if (retried != null) {
      retried.set(true);
    }
    return call(what, op);
  }

  /** Adds {@code queue} to {@link RedisKeys#QUEUES} before an enqueue; see {@link QueueRegistry}. */
  void register(String queue) {
    queues.register(queue);
  }

  /** Queues known to Redis or served by this instance. */
  Set<String> queues() {
    return queues.queues();
  }

  void registerLocally(String queue) {
    queues.registerLocally(queue);
  }

  /** Forgets {@code queue} here and in {@link RedisKeys#QUEUES}; its keys are gone already. */
  void unregister(String queue) {
    queues.unregister(queue);
  }

  private static void dropIdleConnections(UnifiedJedis client) {
    for (Pool<Connection> pool : pools(client)) {
      try {
        pool.clear();
      } catch (RuntimeException ignored) {
        // Best effort: a pool that cannot be cleared will fail over connection by connection instead.
      }
    }
  }

  /** The client's connection pools: one for a standalone server, one per known node of a cluster. */
  private static Collection<? extends Pool<Connection>> pools(UnifiedJedis jedis) {
    if (jedis instanceof RedisClient client) {
      return List.of(client.getPool());
    }
    if (jedis instanceof RedisClusterClient cluster) {
      return cluster.getClusterNodes().values();
    }
    return List.of();
  }

  /**
   * Releases what an owned client holds without making it unusable: settling leases must still work after {@link
   * RedisBroker#close()} (the port's contract), so the pool keeps no idle connection from now on and each later call
   * opens and closes its own. The wait client is closed: a closed broker waits no more. A shared client is left to
   * its owner.
   */
  void close() {
    if (ownsClient) {
      for (Pool<Connection> pool : pools(jedis)) {
        pool.setMaxIdle(0);
        pool.clear();
      }
      UnifiedJedis waits;
      synchronized (waitClientLock) {
        waitClientClosed = true;
        waits = waitClient;
      }
      if (waits != null) {
        waits.close();
      }
    }
  }
}
