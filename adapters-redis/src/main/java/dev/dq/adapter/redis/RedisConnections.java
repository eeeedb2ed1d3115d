package dev.dq.adapter.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.SslVerifyMode;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.Delay;

/**
 * Builds the one pooled client a broker uses, from a {@link RedisBrokerConfig}: a {@link
 * RedisClient} for a standalone server, a {@link RedisClusterClient} (one pool per node) when
 * {@link RedisBrokerConfig#cluster()} is set (seeded with every node a Cluster URL lists), a {@link
 * RedisSentinelClient} for a Sentinel URL. Building a standalone client does not connect; building
 * a cluster client reads the slot map from the seed node; building a Sentinel client asks the
 * sentinels where the primary is.
 *
 * <p>A Sentinel client follows a failover by itself: it subscribes to {@code +switch-master} on
 * every sentinel (one connection and one daemon thread each, per client) and, when the primary
 * changes, replaces its pool with one to the new primary. Calls that fail in between (the old
 * primary is gone, or answers {@code READONLY} once demoted) are transient failures that callers
 * retry like any other.
 */
public final class RedisConnections {
  /** Redirections (MOVED/ASK) and reconnects a cluster command may go through before it fails. */
  private static final int CLUSTER_MAX_ATTEMPTS = 5;

  /** Connections of the renewal client (per node of a cluster). */
  private static final int RENEWAL_CONNECTIONS = 4;

  /** How soon a Sentinel client's listener subscribes again after losing its sentinel. */
  private static final Duration SENTINEL_RECONNECT = Duration.ofSeconds(1);

  /**
   * Protects nothing: the PEM trust store exists only in memory, and PKCS12 wants some password.
   */
  private static final String IN_MEMORY_PASSWORD = "dq";

  private RedisConnections() {}

  /**
   * Builds the pooled client {@code config} describes; the caller closes it.
   *
   * @param config the settings
   * @return a standalone or cluster client
   */
  public static UnifiedJedis create(RedisBrokerConfig config) {
    return create(config, poolConfig(config));
  }

  /**
   * A client for blocking waits only, apart from the command pool so that a blocked reader never
   * holds a connection a claim, ack or renewal needs. Its pool has no fixed bound: a broker blocks
   * on at most one connection per queue (see {@link SharedWaits}), so it holds as many as queues it
   * waits on at once.
   */
  static UnifiedJedis createForWaits(RedisBrokerConfig config) {
    ConnectionPoolConfig pool = poolConfig(config);
    pool.setMaxTotal(-1);
    return create(config, pool);
  }

  /**
   * A client for lease renewals only: a pool's heartbeat renews on one thread, so a few connections
   * are plenty, and renewals never queue behind the claims and acks of hundreds of workers in the
   * command pool.
   */
  static UnifiedJedis createForRenewals(RedisBrokerConfig config) {
    ConnectionPoolConfig pool = poolConfig(config);
    pool.setMaxTotal(RENEWAL_CONNECTIONS);
    pool.setMaxIdle(RENEWAL_CONNECTIONS);
    return create(config, pool);
  }

  private static UnifiedJedis create(RedisBrokerConfig config, ConnectionPoolConfig pool) {
    RedisUrl url = config.url();
    JedisClientConfig client = clientConfig(config);
    if (url.sentinel()) {
      return sentinelClient(config, client, pool);
    }
    if (config.cluster()) {
      Set<HostAndPort> seeds = new LinkedHashSet<>();
      if (url.cluster()) {
        url.clusterNodes().forEach(n -> seeds.add(new HostAndPort(n.host(), n.port())));
      } else {
        seeds.add(new HostAndPort(url.host(), url.port()));
      }
      try {
        return RedisClusterClient.builder()
            .nodes(seeds)
            .clientConfig(client)
            .poolConfig(pool)
            .maxAttempts(CLUSTER_MAX_ATTEMPTS)
            // Bounds a command's redirections and reconnects like any other call.
            .maxTotalRetriesDuration(
                config.socketTimeout().plus(config.connectTimeout()).multipliedBy(2))
            .build();
      } catch (RuntimeException e) {
        // Building reads the slot map; no reachable seed is an unreachable broker.
        throw RedisErrors.translate(e, "reading the cluster's slot map", url.endpoint());
      }
    }
    return RedisClient.builder()
        .hostAndPort(url.host(), url.port())
        .clientConfig(client)
        .poolConfig(pool)
        .build();
  }

  /**
   * Asks the sentinels for the primary now, so a wrong master name or unreachable sentinels fail
   * here, translated like any call.
   */
  private static UnifiedJedis sentinelClient(
      RedisBrokerConfig config, JedisClientConfig client, ConnectionPoolConfig pool) {
    RedisUrl url = config.url();
    Set<HostAndPort> sentinels = new LinkedHashSet<>();
    url.sentinels().forEach(s -> sentinels.add(new HostAndPort(s.host(), s.port())));
    try {
      return RedisSentinelClient.builder()
          .masterName(url.masterName().orElseThrow())
          .sentinels(sentinels)
          .sentinelClientConfig(sentinelConfig(config))
          // A listener that lost its sentinel subscribes again this soon; the other sentinels
          // still report a failover meanwhile.
          .sentinelReconnectDelay(Delay.constant(SENTINEL_RECONNECT))
          .clientConfig(client)
          .poolConfig(pool)
          .build();
    } catch (RuntimeException e) {
      throw RedisErrors.translate(e, "asking the sentinels for the primary", url.endpoint());
    }
  }

  /**
   * Sentinels are asked with the timeouts and TLS trust of the primary, but without credentials and
   * database: the URL's user and password are the primary's.
   */
  private static JedisClientConfig sentinelConfig(RedisBrokerConfig config) {
    DefaultJedisClientConfig.Builder sentinel =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) config.connectTimeout().toMillis())
            .socketTimeoutMillis((int) config.socketTimeout().toMillis())
            .clientName("dq-sentinel-watch");
    if (config.url().tls()) {
      sentinel.ssl(true).sslOptions(sslOptions(config.trust()));
    }
    return sentinel.build();
  }

  private static JedisClientConfig clientConfig(RedisBrokerConfig config) {
    RedisUrl url = config.url();
    int socketMs = (int) config.socketTimeout().toMillis();
    DefaultJedisClientConfig.Builder client =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis((int) config.connectTimeout().toMillis())
            .socketTimeoutMillis(socketMs)
            // Jedis would otherwise wait forever on BLPOP's socket; a dead peer must surface within
            // a bound.
            .blockingSocketTimeoutMillis((int) config.blockTimeout().toMillis() + socketMs)
            .database(url.database())
            .clientName("dq");
    url.user().ifPresent(client::user);
    url.password().ifPresent(client::password);
    if (url.tls()) {
      client.ssl(true).sslOptions(sslOptions(config.trust()));
    }
    return client.build();
  }

  /**
   * Verifies the chain against {@code trust} (or the JVM default) and the URL's host against the
   * certificate.
   */
  private static SslOptions sslOptions(Optional<RedisTrust> trust) {
    SslOptions.Builder ssl = SslOptions.builder().sslVerifyMode(SslVerifyMode.FULL);
    if (trust.isPresent()) {
      RedisTrust t = trust.get();
      if (t.pem()) {
        byte[] store = pemAsTrustStore(t.file());
        ssl.truststore(() -> new ByteArrayInputStream(store), IN_MEMORY_PASSWORD.toCharArray())
            .trustStoreType("PKCS12");
      } else {
        ssl.truststore(t.file().toFile(), t.password().toCharArray()).trustStoreType("PKCS12");
      }
    }
    return ssl.build();
  }

  /**
   * The certificates of a PEM file as an in-memory PKCS12 trust store, since Jedis takes trust as a
   * key store.
   */
  private static byte[] pemAsTrustStore(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("no certificate in " + pem);
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (Certificate cert : certs) {
        store.setCertificateEntry("ca-" + i++, cert);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      store.store(out, IN_MEMORY_PASSWORD.toCharArray());
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CA certificates from " + pem, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read CA certificates from " + pem + ": " + e.getMessage(), e);
    }
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
