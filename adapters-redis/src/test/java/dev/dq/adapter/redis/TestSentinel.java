package dev.dq.adapter.redis;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;

/**
 * A real Sentinel setup on loopback: a primary, one replica and three sentinels ({@code
 * redis-server <conf> --sentinel}), each a {@link TestRedis} on a free port with its own directory.
 * The sentinels monitor the primary as {@link #MASTER} with quorum 2 and notice a dead primary
 * after {@code down-after-milliseconds} 1000, so a kill -9 of the primary is followed by a failover
 * within a few seconds. {@link #start} returns once the replica is in sync and every sentinel knows
 * the replica and the two other sentinels.
 */
public final class TestSentinel implements AutoCloseable {
  /** The name the sentinels monitor the primary under. */
  public static final String MASTER = "dq";

  private static final Duration READY = Duration.ofSeconds(30);

  private final List<TestRedis> nodes;
  private final List<TestRedis> sentinels;

  private TestSentinel(List<TestRedis> nodes, List<TestRedis> sentinels) {
    this.nodes = nodes;
    this.sentinels = sentinels;
  }

  /**
   * Starts the primary and the replica with {@code nodeArgs} (e.g. {@code --appendonly no}), then
   * the sentinels, and waits until all know each other.
   */
  public static TestSentinel start(List<String> nodeArgs) {
    List<TestRedis> nodes = new ArrayList<>();
    List<TestRedis> sentinels = new ArrayList<>();
    try {
      List<String> args = new ArrayList<>(nodeArgs);
      // A replica (re)joining gets its full sync at once, not after the default 5 s delay.
      args.addAll(List.of("--repl-diskless-sync-delay", "0"));
      TestRedis primary = TestRedis.start(args);
      nodes.add(primary);
      List<String> replicaArgs = new ArrayList<>(args);
      replicaArgs.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port())));
      nodes.add(TestRedis.start(replicaArgs));
      String config =
          String.join(
              "\n",
              "sentinel monitor " + MASTER + " 127.0.0.1 " + primary.port() + " 2",
              "sentinel down-after-milliseconds " + MASTER + " 1000",
              "sentinel failover-timeout " + MASTER + " 5000",
              "sentinel parallel-syncs " + MASTER + " 1",
              "");
      for (int i = 0; i < 3; i++) {
        sentinels.add(TestRedis.startSentinel(config));
      }
      TestSentinel setup = new TestSentinel(nodes, sentinels);
      setup.awaitReady();
      return setup;
    } catch (RuntimeException | Error e) {
      sentinels.forEach(TestRedis::close);
      nodes.forEach(TestRedis::close);
      throw e;
    }
  }

  private void awaitReady() {
    await("replica in sync and sentinels acquainted")
        .atMost(READY)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                nodes.get(0).admin().info("replication").contains("state=online")
                    && sentinels.stream()
                        .allMatch(
                            s -> {
                              Map<String, String> m = master(s);
                              return "2".equals(m.get("num-other-sentinels"))
                                  && "1".equals(m.get("num-slaves"));
                            }));
  }

  private static Map<String, String> master(TestRedis sentinel) {
    try (Jedis jedis = new Jedis("127.0.0.1", sentinel.port())) {
      return jedis.sentinelMaster(MASTER).entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
    }
  }

  /** {@code redis-sentinel://} URL naming the three sentinels and {@link #MASTER}. */
  public String url() {
    return "redis-sentinel://"
        + sentinels.stream().map(s -> "127.0.0.1:" + s.port()).collect(Collectors.joining(","))
        + "/"
        + MASTER;
  }

  /** The port the sentinels name as the primary now. */
  public int primaryPort() {
    try (Jedis jedis = new Jedis("127.0.0.1", sentinels.get(0).port())) {
      return Integer.parseInt(jedis.sentinelGetMasterAddrByName(MASTER).get(1));
    }
  }

  /** The data node (primary or replica) on {@code port}. */
  public TestRedis node(int port) {
    return nodes.stream()
        .filter(n -> n.port() == port)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node on port " + port));
  }

  /** The data node the sentinels name as the primary now. */
  public TestRedis primary() {
    return node(primaryPort());
  }

  /** The data node that is not {@link #primary()}. */
  public TestRedis replica() {
    int primary = primaryPort();
    return nodes.stream().filter(n -> n.port() != primary).findFirst().orElseThrow();
  }

  /**
   * Waits until the sentinels name a primary other than the one on {@code oldPrimaryPort}.
   *
   * @return how long that took from this call
   */
  public Duration awaitFailover(int oldPrimaryPort, Duration atMost) {
    long start = System.nanoTime();
    await("failover away from port " + oldPrimaryPort)
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> primaryPort() != oldPrimaryPort);
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /**
   * Restarts a killed node and makes it a replica of the current primary, as a supervisor and the
   * sentinels would; returns once it is in sync.
   */
  public void rejoinAsReplica(TestRedis node) {
    node.restart();
    try (Jedis jedis = new Jedis("127.0.0.1", node.port())) {
      jedis.replicaof("127.0.0.1", primaryPort());
      await("rejoined replica in sync")
          .atMost(READY)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> jedis.info("replication").contains("master_link_status:up"));
    }
  }

  @Override
  public void close() {
    sentinels.forEach(TestRedis::close);
    nodes.forEach(TestRedis::close);
  }
}
