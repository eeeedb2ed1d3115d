package dev.dq.chaos.process;

/**
 * The Redis a scenario runs on: one {@link RedisServer} or a {@link RedisCluster}. Faults and the
 * harness's inspection ask it which server holds a key now.
 */
public sealed interface RedisTopology extends AutoCloseable permits RedisServer, RedisCluster {

  /**
   * The URL a client connects to without a proxy: {@code redis://} for one server, {@code
   * redis-cluster://} listing every node for a cluster.
   *
   * @return the URL
   */
  String url();

  /**
   * The server that serves {@code key} now: the server itself, or the cluster primary whose slots
   * hold the key.
   *
   * @param key a Redis key
   * @return its server
   */
  RedisServer holder(String key);

  @Override
  void close();
}
