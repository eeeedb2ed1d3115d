package dev.dq.adapter.redis;

import java.util.Set;
import javax.net.ssl.SSLParameters;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Builds the one pooled client a broker uses, from a {@link RedisBrokerConfig}: a {@link RedisClient} for a standalone
 * server, a {@link RedisClusterClient} (one pool per node) when {@link RedisBrokerConfig#cluster()} is set. Building a
 * standalone client does not connect; building a cluster client reads the slot map from the seed node.
 */
public final class RedisConnections {
  /** Redirections (MOVED/ASK) and reconnects a cluster command may go through before it fails. */
  private static final int CLUSTER_MAX_ATTEMPTS = 5;

  private RedisConnections() {}

  public static UnifiedJedis create(RedisBrokerConfig config) {
    RedisUrl url = config.url();
    JedisClientConfig client = clientConfig(config);
    ConnectionPoolConfig pool = poolConfig(config);
    if (config.cluster()) {
      return RedisClusterClient.builder()
          .nodes(Set.of(new HostAndPort(url.host(), url.port())))
          .clientConfig(client)
          .poolConfig(pool)
          .maxAttempts(CLUSTER_MAX_ATTEMPTS)
          // Bounds a command's redirections and reconnects like any other call.
          .maxTotalRetriesDuration(config.socketTimeout().plus(config.connectTimeout()).multipliedBy(2))
          .build();
    }
    return RedisClient.builder()
        .hostAndPort(url.host(), url.port())
        .clientConfig(client)
        .poolConfig(pool)
        .build();
  }

  private static JedisClientConfig clientConfig(RedisBrokerConfig config) {
    RedisUrl url = config.url();
    int socketMs = (int) config.socketTimeout().toMillis();
    DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis((int) config.connectTimeout().toMillis())
        .socketTimeoutMillis(socketMs)
        // Jedis would otherwise wait forever on BLPOP's socket; a dead peer must surface within a bound.
        .blockingSocketTimeoutMillis((int) config.blockTimeout().toMillis() + socketMs)
        .database(url.database())
        .clientName("dq");
    url.user().ifPresent(client::user);
    url.password().ifPresent(client::password);
    if (url.tls()) {
      SSLParameters params = new SSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS"); // hostname verification
      client.ssl(true).sslParameters(params);
    }
    return client.build();
  }

  private static ConnectionPoolConfig poolConfig(RedisBrokerConfig config) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(config.poolSize());
    pool.setMaxIdle(config.poolSize());
    pool.setMinIdle(0);
    // Waiting for a pooled connection is bounded like any other call.
    pool.setMaxWait(config.socketTimeout());
    pool.setBlockWhenExhausted(true);
    pool.setJmxEnabled(false);
    return pool;
  }
}
