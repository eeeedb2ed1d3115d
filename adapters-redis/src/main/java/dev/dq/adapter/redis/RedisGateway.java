package dev.dq.adapter.redis;

import java.time.InstantSource;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import redis.clients.jedis.Connection;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.Pool;

/**
 * The adapter's one way into Redis (a gateway: every call to the server goes through it), shared by
 * the parts of {@link RedisBroker} and by {@link RedisDeadLetterQueue}: the clients, the {@link
 * ScriptRunner}s, the codec, the queue registry, and the translation of every Jedis failure into a
 * port exception ({@link RedisErrors}).
 *
 * <p>Commands (scripts, reads) use {@link #jedis()}, a pool of {@link
 * RedisBrokerConfig#poolSize()}. When this instance owns its connections, two kinds of call have a
 * {@link SideClient} of their own, so that they never queue behind the others: blocking waits
 * ({@link #block}) and lease renewals ({@link #renewalScript}).
 */
final class RedisGateway {
  private final UnifiedJedis jedis;
  private final boolean ownsClient;
  private final RedisBrokerConfig config;
  private final ScriptRunner scripts;
  private final SideClient waits;
  private final SideClient renewals;
  private final TaskCodec codec;
  private final String endpoint;
  private final QueueRegistry queues;

  RedisGateway(UnifiedJedis jedis, boolean ownsClient, RedisBrokerConfig config) {
    this.jedis = jedis;
    this.ownsClient = ownsClient;
    this.config = config;
    this.scripts = new ScriptRunner(jedis);
    this.waits =
        new SideClient(
            "waits for tasks",
            ownsClient ? () -> RedisConnections.createForWaits(config) : null,
            jedis,
            scripts,
            false);
    this.renewals =
        new SideClient(
            "lease renewals",
            ownsClient ? () -> RedisConnections.createForRenewals(config) : null,
            jedis,
            scripts,
            true);
    this.codec = new TaskCodec(config.limits());
    this.endpoint = config.url().endpoint();
    this.queues = new QueueRegistry(this, this::elapsedMillis);
  }

  /**
   * Milliseconds on this process's clock for measuring how old a cached value is: monotonic ({@code
   * System.nanoTime}), or the test clock when one is set, so tests move it by hand.
   */
  long elapsedMillis() {
    return config
        .testClock()
        .map(InstantSource::millis)
        .orElseGet(() -> System.nanoTime() / 1_000_000);
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
    return scripts.reloads() + renewals.reloads();
  }

  /**
   * "Now" for a script's last ARGV: empty, so the script reads the Redis server's TIME, unless a
   * test clock is set.
   */
  String now() {
    return config.testClock().map(c -> Long.toString(c.millis())).orElse("");
  }

  Object script(String what, Script script, List<String> keys, List<String> args) {
    return call(what, () -> scripts.run(script, keys, args));
  }

  /**
   * Like {@link #script}, then confirms the write on the same connection as {@code durability}
   * asks; see {@link ScriptRunner#runConfirmed}.
   */
  ScriptRunner.Confirmed confirmedScript(
      String what,
      Script script,
      List<String> keys,
      List<String> args,
      EnqueueDurability durability) {
    return call(what, () -> scripts.runConfirmed(script, keys, args, durability));
  }

  /**
   * The {@code redis_version} of the server {@link #jedis()} talks to (the primary, with Sentinel).
   */
  String serverVersion() {
    return info("read the server version", "server").getOrDefault("redis_version", "unknown");
  }

  /**
   * The fields of one {@code INFO} section of the server {@link #jedis()} talks to, by name ({@code
   * used_memory} = {@code "1048576"}), in the server's order.
   */
  Map<String, String> info(String what, String section) {
    String text = call(what, () -> jedis.info(section));
    Map<String, String> fields = new LinkedHashMap<>();
    text.lines()
        .filter(line -> !line.startsWith("#") && line.indexOf(':') > 0)
        .forEach(
            line -> {
              int colon = line.indexOf(':');
              fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            });
    return fields;
  }

  /**
   * Walks the keys that match {@code pattern} with SCAN, handing each page to {@code page}; a key
   * may come twice (SCAN's guarantee). On a cluster the pattern must carry a hash tag, so the scan
   * goes to the node that owns it.
   */
  void scan(String what, String pattern, int count, Consumer<List<String>> page) {
    ScanParams params = new ScanParams().match(pattern).count(count);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      String at = cursor;
      ScanResult<String> result = callRetryingOnce(what, () -> jedis.scan(at, params));
      cursor = result.getCursor();
      page.accept(result.getResult());
    } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
  }

  /** Like {@link #script}, but tries once more on a fresh connection after a connection failure. */
  Object scriptRetryingOnce(String what, Script script, List<String> keys, List<String> args) {
    return callRetryingOnce(what, () -> scripts.run(script, keys, args), null);
  }

  /**
   * Like {@link #scriptRetryingOnce(String, Script, List, List)}; sets {@code retried} when the
   * first try failed on its connection, in which case it may or may not have run.
   */
  Object scriptRetryingOnce(
      String what, Script script, List<String> keys, List<String> args, AtomicBoolean retried) {
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
   * Runs a blocking command (BLMPOP) on the wait client, never on a connection of the command pool.
   * After a connection failure the wait client's idle connections are dropped, as {@link #call}
   * does for commands.
   *
   * @throws dev.dq.core.port.BrokerClosedException after {@link #close()}
   */
  <T> T block(String what, Function<UnifiedJedis, T> op) {
    UnifiedJedis client;
    try {
      client = waits.get();
    } catch (RuntimeException e) {
      throw RedisErrors.translate(e, what, endpoint);
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

  /**
   * Runs a renewal script on the renewal client, which claims and acks never use, so a renewal does
   * not wait behind a saturated command pool. Renewing is idempotent: after a connection failure it
   * runs once more on a new connection.
   */
  Object renewalScript(String what, Script script, List<String> keys, List<String> args) {
    UnifiedJedis client;
    ScriptRunner on;
    try {
      client = renewals.get();
      on = renewals.scripts();
    } catch (RuntimeException e) {
      throw RedisErrors.translate(e, what, endpoint);
    }
    return callRetryingOnce(what, client, () -> on.run(script, keys, args), null);
  }

  /**
   * After a Redis restart or CLIENT KILL every pooled connection is dead, and each would fail once.
   * The first failure therefore drops the idle ones, and one retry then runs on a new connection.
   */
  <T> T callRetryingOnce(String what, Supplier<T> op) {
    return callRetryingOnce(what, op, null);
  }

  private <T> T callRetryingOnce(String what, Supplier<T> op, AtomicBoolean retried) {
    return callRetryingOnce(what, jedis, op, retried);
  }

  private <T> T callRetryingOnce(
      String what, UnifiedJedis client, Supplier<T> op, AtomicBoolean retried) {
    for (int attempt = 1; ; attempt++) {
      try {
        return op.get();
      } catch (RuntimeException e) {
        if (attempt == 2 || !RedisErrors.isConnectionFailure(e)) {
          if (RedisErrors.isConnectionFailure(e)) {
            dropIdleConnections(client);
          }
          throw RedisErrors.translate(e, what, endpoint);
        }
        dropIdleConnections(client);
      }
      if (retried != null) {
        retried.set(true);
      }
    }
  }

  /**
   * Adds {@code queue} to {@link RedisKeys#QUEUES} before an enqueue; see {@link QueueRegistry}.
   */
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
        // Best effort: a pool that cannot be cleared will fail over connection by connection
        // instead.
      }
    }
  }

  /**
   * The client's connection pools: one for a standalone server or a Sentinel client's current
   * primary, one per known node of a cluster.
   */
  private static Collection<? extends Pool<Connection>> pools(UnifiedJedis jedis) {
    if (jedis instanceof RedisClient client) {
      return List.of(client.getPool());
    }
    if (jedis instanceof RedisClusterClient cluster) {
      return cluster.getClusterNodes().values();
    }
    if (jedis instanceof RedisSentinelClient sentinel) {
      return sentinel.getPrimaryNodesConnectionMap().values(); // the current primary's pool
    }
    return List.of();
  }

  /**
   * Releases what an owned client holds without making it unusable: settling leases must still work
   * after {@link RedisBroker#close()} (the port's contract), so the pool keeps no idle connection
   * from now on and each later call opens and closes its own. The side clients are closed: a closed
   * broker waits no more, and renewals go to the command client. A shared client is left to its
   * owner.
   */
  void close() {
    if (ownsClient) {
      for (Pool<Connection> pool : pools(jedis)) {
        pool.setMaxIdle(0);
        pool.clear();
      }
      waits.close();
      renewals.close();
    }
  }
}
