package dev.dq.adapter.redis;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real 3-node Redis Cluster for one test class, built without {@code redis-cli}: three {@link
 * TestRedis} servers with {@code --cluster-enabled yes} on free loopback ports, slots assigned with
 * {@code CLUSTER ADDSLOTSRANGE}, nodes joined with {@code CLUSTER MEET}, ready once every node's
 * {@code CLUSTER INFO} says {@code cluster_state:ok}. No replicas.
 */
final class TestRedisCluster implements AutoCloseable {
  /** Slot ranges of the three nodes, as {@code redis-cli --cluster create} would split them. */
  static final int[][] SLOTS = {{0, 5460}, {5461, 10922}, {10923, 16383}};

  private static final Duration FORMING = Duration.ofSeconds(60);

  private final List<TestRedis> nodes;

  private TestRedisCluster(List<TestRedis> nodes) {
    this.nodes = nodes;
  }

  /**
   * Starts one cluster node. A node also listens on its port + 10000 (the cluster bus), which the
   * free-port probe does not check: another process may hold it, so a bind failure there is tried
   * again on another port.
   */
  private static TestRedis startNode() {
    for (int attempt = 1; ; attempt++) {
      try {
        return TestRedis.start(
            dir ->
                List.of(
                    "--appendonly",
                    "no",
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    dir.resolve("nodes.conf").toString(),
                    "--cluster-node-timeout",
                    "5000"));
      } catch (IllegalStateException e) {
        if (attempt == 5 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
          throw e;
        }
      }
    }
  }

  static TestRedisCluster start() {
    List<TestRedis> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < SLOTS.length; i++) {
        nodes.add(startNode());
      }
      TestRedisCluster cluster = new TestRedisCluster(nodes);
      cluster.form();
      return cluster;
    } catch (RuntimeException | Error e) {
      nodes.forEach(TestRedis::close);
      throw e;
    }
  }

  private void form() {
    for (int i = 0; i < nodes.size(); i++) {
      nodes
          .get(i)
          .admin()
          .sendCommand(
              Protocol.Command.CLUSTER,
              "ADDSLOTSRANGE",
              Integer.toString(SLOTS[i][0]),
              Integer.toString(SLOTS[i][1]));
    }
    RedisClient first = nodes.get(0).admin();
    for (TestRedis other : nodes.subList(1, nodes.size())) {
      first.sendCommand(
          Protocol.Command.CLUSTER, "MEET", "127.0.0.1", Integer.toString(other.port()));
    }
    await("cluster_state:ok on every node")
        .atMost(FORMING)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                nodes.stream()
                    .allMatch(
                        n -> {
                          String info = clusterInfo(n);
                          return info.contains("cluster_state:ok")
                              && info.contains("cluster_known_nodes:" + nodes.size());
                        }));
  }

  private static String clusterInfo(TestRedis node) {
    Object reply = node.admin().sendCommand(Protocol.Command.CLUSTER, "INFO");
    return reply instanceof byte[] b
        ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
        : String.valueOf(reply);
  }

  /** The seed URL; the client discovers the other nodes from it. */
  String url() {
    return nodes.get(0).url();
  }

  List<TestRedis> nodes() {
    return nodes;
  }

  /** Index of the node that owns {@code queue}'s slot. */
  static int nodeOf(String queue) {
    int slot = JedisClusterCRC16.getSlot(RedisKeys.of(queue).ready());
    for (int i = 0; i < SLOTS.length; i++) {
      if (slot >= SLOTS[i][0] && slot <= SLOTS[i][1]) {
        return i;
      }
    }
    throw new IllegalStateException("slot " + slot);
  }

  /** FLUSHALL on every node (a cluster client would send it to one node only). */
  void flushAll() {
    nodes.forEach(TestRedis::flushAll);
  }

  RedisBrokerConfig.Builder config() {
    return RedisBrokerConfig.builder(url()).cluster(true).blockTimeout(Duration.ofMillis(500));
  }

  RedisBroker broker(InstantSource clock, int capacity) {
    return RedisBroker.connect(config().testClock(clock).capacityPerQueue(capacity).build());
  }

  RedisBroker broker(int capacity) {
    return RedisBroker.connect(config().capacityPerQueue(capacity).build());
  }

  @Override
  public void close() {
    nodes.forEach(TestRedis::close);
  }
}
