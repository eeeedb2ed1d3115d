package dev.dq.chaos.process;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A Redis Cluster of three primaries with one replica each, six {@link RedisServer}s with their own
 * directories and free loopback ports (client and bus), formed without {@code redis-cli}: slots
 * split as {@code redis-cli --cluster create} splits them ({@code CLUSTER ADDSLOTSRANGE}), nodes
 * joined with {@code CLUSTER MEET}, replicas attached with {@code CLUSTER REPLICATE}. A small
 * {@code cluster-node-timeout} makes a replica take over a killed primary within a few seconds.
 */
public final class RedisCluster implements RedisTopology {
  /** Slot ranges of the three primaries, as {@code redis-cli --cluster create} splits them. */
  static final int[][] SLOTS = {{0, 5460}, {5461, 10922}, {10923, 16383}};

  /** How soon a silent node counts as failing; failover starts about then. */
  static final Duration NODE_TIMEOUT = Duration.ofMillis(2000);

  private static final Duration BOUND = Duration.ofSeconds(60);

  private final List<RedisServer> nodes;
  private final List<Integer> busPorts;

  private RedisCluster(List<RedisServer> nodes, List<Integer> busPorts) {
    this.nodes = nodes;
    this.busPorts = busPorts;
  }

  /**
   * Starts six servers, forms the cluster and waits until every node says {@code cluster_state:ok}
   * and every replica is in sync.
   *
   * @param binary the {@code redis-server} to run
   * @param dir parent of the nodes' directories {@code node-1} .. {@code node-6} (created)
   * @param persistence AOF policy of every node
   * @return the running cluster
   */
  public static RedisCluster start(Path binary, Path dir, Persistence persistence) {
    List<RedisServer> nodes = new ArrayList<>();
    List<Integer> busPorts = new ArrayList<>();
    try {
      for (int i = 1; i <= 2 * SLOTS.length; i++) {
        int bus = Ports.free();
        busPorts.add(bus);
        nodes.add(
            RedisServer.start(
                binary,
                dir.resolve("node-" + i),
                persistence,
                List.of(
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    "nodes.conf",
                    "--cluster-port",
                    Integer.toString(bus),
                    "--cluster-node-timeout",
                    Long.toString(NODE_TIMEOUT.toMillis()))));
      }
      RedisCluster cluster = new RedisCluster(List.copyOf(nodes), List.copyOf(busPorts));
      cluster.form();
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisServer::close);
      throw e;
    }
  }

  private void form() {
    for (int i = 0; i < SLOTS.length; i++) {
      cluster(
          nodes.get(i),
          "ADDSLOTSRANGE",
          Integer.toString(SLOTS[i][0]),
          Integer.toString(SLOTS[i][1]));
    }
    for (int i = 1; i < nodes.size(); i++) {
      cluster(
          nodes.get(0),
          "MEET",
          "127.0.0.1",
          Integer.toString(nodes.get(i).port()),
          Integer.toString(busPorts.get(i)));
    }
    await(
        "every node knows all " + nodes.size(),
        () ->
            nodes.stream().allMatch(n -> info(n).contains("cluster_known_nodes:" + nodes.size())));
    for (int i = 0; i < SLOTS.length; i++) {
      String primaryId = cluster(nodes.get(i), "MYID");
      RedisServer replica = nodes.get(i + SLOTS.length);
      // The replica learns the primary's id by gossip; REPLICATE fails until it has.
      await(
          "node " + replica.port() + " replicates " + primaryId,
          () -> replicate(replica, primaryId));
    }
    awaitHealthy();
  }

  private static boolean replicate(RedisServer replica, String primaryId) {
    try {
      cluster(replica, "REPLICATE", primaryId);
      return true;
    } catch (JedisException e) {
      return false;
    }
  }

  /**
   * Waits until every running node says {@code cluster_state:ok}, every slot has a primary that
   * none marks failing, and every replica's link to its primary is up and synced.
   */
  public void awaitHealthy() {
    await(
        "cluster healthy: " + nodes.stream().map(RedisServer::port).toList(),
        () -> nodes.stream().allMatch(this::healthy));
  }

  private boolean healthy(RedisServer node) {
    try (Jedis j = node.admin()) {
      String state = info(node);
      String replication = j.info("replication");
      boolean synced =
          replication.contains("role:master")
              || (replication.contains("master_link_status:up")
                  && replication.contains("master_sync_in_progress:0"));
      return state.contains("cluster_state:ok")
          && synced
          && SLOTS.length == primaries(node).size()
          && !cluster(node, "NODES").contains("fail");
    } catch (JedisException e) {
      return false;
    }
  }

  /**
   * The primary that holds {@code key}'s slot, as the running nodes see it.
   *
   * @param key a Redis key
   * @return the server
   * @throws IllegalStateException if no running node names a live primary for the slot
   */
  @Override
  public RedisServer holder(String key) {
    int slot = JedisClusterCRC16.getSlot(key);
    for (RedisServer asked : nodes) {
      if (!asked.alive()) {
        continue;
      }
      try {
        Optional<RedisServer> p =
            primaries(asked).stream().filter(n -> n.holds(slot)).map(this::server).findFirst();
        if (p.isPresent() && p.get().alive()) {
          return p.get();
        }
      } catch (JedisException e) {
        // this node does not answer: ask the next
      }
    }
    throw new IllegalStateException("no live primary holds slot " + slot);
  }

  /**
   * Waits until a node other than {@code old} holds {@code key}'s slot, as every running node sees
   * it, and the cluster serves again.
   *
   * @param key a Redis key
   * @param old the primary that held it
   * @return the new primary
   */
  public RedisServer awaitFailover(String key, RedisServer old) {
    int slot = JedisClusterCRC16.getSlot(key);
    await(
        "a replica of " + old.port() + " takes over slot " + slot,
        () ->
            nodes.stream()
                .filter(n -> n != old && n.alive())
                .allMatch(
                    n -> {
                      try {
                        return info(n).contains("cluster_state:ok")
                            && primaries(n).stream()
                                .anyMatch(p -> p.holds(slot) && p.port() != old.port());
                      } catch (JedisException e) {
                        return false;
                      }
                    }));
    return holder(key);
  }

  private RedisServer server(Node node) {
    return nodes.stream()
        .filter(n -> n.port() == node.port())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("not a node of this cluster: " + node));
  }

  /** The primaries {@code asked} knows that it does not mark failing, with their slots. */
  private static List<Node> primaries(RedisServer asked) {
    return cluster(asked, "NODES")
        .lines()
        .map(Node::parse)
        .filter(n -> n.flags().contains("master") && !n.flags().contains("fail"))
        .filter(n -> !n.slots().isEmpty())
        .collect(Collectors.toList());
  }

  /**
   * One line of {@code CLUSTER NODES}: {@code id ip:port@bus flags primary ping pong epoch link
   * slot...}.
   */
  record Node(int port, String flags, List<Range> slots) {
    static Node parse(String line) {
      String[] f = line.split(" ");
      String address = f[1].substring(0, f[1].indexOf('@'));
      int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      List<Range> slots = new ArrayList<>();
      for (int i = 8; i < f.length; i++) {
        if (f[i].startsWith("[")) {
          continue; // a slot being migrated or imported
        }
        int dash = f[i].indexOf('-');
        int from = Integer.parseInt(dash < 0 ? f[i] : f[i].substring(0, dash));
        int to = dash < 0 ? from : Integer.parseInt(f[i].substring(dash + 1));
        slots.add(new Range(from, to));
      }
      return new Node(port, f[2], slots);
    }

    boolean holds(int slot) {
      return slots.stream().anyMatch(r -> slot >= r.from() && slot <= r.to());
    }
  }

  /** Slots {@code from..to}, both included. */
  record Range(int from, int to) {}

  private static String info(RedisServer node) {
    return cluster(node, "INFO");
  }

  private static String cluster(RedisServer node, String... args) {
    try (Jedis j = node.admin()) {
      Object reply = j.sendCommand(Protocol.Command.CLUSTER, args);
      return reply instanceof byte[] b
          ? new String(b, StandardCharsets.UTF_8)
          : String.valueOf(reply);
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + BOUND.toSeconds() + " s: " + what);
      }
      RedisServer.sleep(100);
    }
  }

  /**
   * A {@code redis-cluster://} URL listing every node.
   *
   * @return the URL
   */
  @Override
  public String url() {
    return "redis-cluster://"
        + nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
  }

  /**
   * The six servers: primaries first, then their replicas, as formed (a failover swaps roles).
   *
   * @return the servers
   */
  public List<RedisServer> nodes() {
    return nodes;
  }

  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
  }
}
