package dev.dq.adapter.redis;

import javax.net.ssl.SSLParameters;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/** Builds the one pooled {@link RedisClient} a broker uses, from a {@link RedisBrokerConfig}. Does not connect. */
public final class RedisConnections {
  private RedisConnections() {}

  public static RedisClient create(RedisBrokerConfig config) {
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
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(config.poolSize());
    pool.setMaxIdle(config.poolSize());
    pool.setMinIdle(0);
    // Waiting for a pooled connection is bounded like any other call.
    pool.setMaxWait(config.socketTimeout());
    pool.setBlockWhenExhausted(true);
    pool.setJmxEnabled(false);
    return RedisClient.builder()
        .hostAndPort(url.host(), url.port())
        .clientConfig(client.build())
        .poolConfig(pool)
        .build();
  }
}
