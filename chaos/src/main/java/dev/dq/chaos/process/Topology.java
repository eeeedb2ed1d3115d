package dev.dq.chaos.process;

import java.nio.file.Path;

/** Which {@link RedisTopology} a scenario starts. */
public enum Topology {
  /** One {@code redis-server}. */
  SERVER {
    @Override
    public RedisTopology start(Path binary, Path dir, Persistence persistence) {
      return RedisServer.start(binary, dir, persistence, java.util.List.of());
    }
  },
  /** Three primaries with one replica each; see {@link RedisCluster}. */
  CLUSTER {
    @Override
    public RedisTopology start(Path binary, Path dir, Persistence persistence) {
      return RedisCluster.start(binary, dir, persistence);
    }
  };

  /**
   * Starts the servers and waits until they serve.
   *
   * @param binary the {@code redis-server} to run
   * @param dir the directory for their files (created)
   * @param persistence AOF policy of every server
   * @return the running topology
   */
  public abstract RedisTopology start(Path binary, Path dir, Persistence persistence);
}
