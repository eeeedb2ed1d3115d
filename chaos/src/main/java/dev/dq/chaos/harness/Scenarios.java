package dev.dq.chaos.harness;

import dev.dq.chaos.process.Persistence;
import dev.dq.chaos.process.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The catalogue of scenarios, in the order a full run takes them. */
public final class Scenarios {
  private static final Duration WARM = Duration.ofSeconds(2);
  private static final Duration PHASE = Duration.ofSeconds(8);
  private static final Duration COOL = Duration.ofSeconds(2);

  private Scenarios() {}

  /**
   * Every scenario, sized for a run of a few minutes.
   *
   * @param lease the workers' lease time; stops last longer than it
   * @return the scenarios
   */
  public static List<Scenario> all(Duration lease) {
    Duration overLease = lease.plus(Duration.ofSeconds(1));
    List<Scenario> all = new ArrayList<>();
    all.add(
        scenario(
            "baseline", "no fault: the control run", Persistence.AOF_ALWAYS, false, List.of()));
    all.add(
        scenario(
            "worker-kill",
            "kill -9 of a worker at a random point, restarted at once",
            Persistence.AOF_ALWAYS,
            false,
            List.of(ProcessFaults.killWorker()),
            ms(500),
            ms(1500)));
    all.add(
        scenario(
            "worker-stop",
            "SIGSTOP of a worker for longer than a lease, then SIGCONT",
            Persistence.AOF_ALWAYS,
            false,
            List.of(ProcessFaults.pauseWorker(overLease))));
    all.add(
        scenario(
            "redis-kill-always",
            "kill -9 of Redis (appendfsync always), restarted after 1 s",
            Persistence.AOF_ALWAYS,
            false,
            List.of(ProcessFaults.killRedis(Duration.ofSeconds(1)))));
    all.add(
        scenario(
            "redis-kill-everysec",
            "kill -9 of Redis (appendfsync everysec), restarted after 1 s",
            Persistence.AOF_EVERYSEC,
            false,
            List.of(ProcessFaults.killRedis(Duration.ofSeconds(1)))));
    all.add(
        scenario(
            "redis-stop",
            "SIGSTOP of Redis for longer than a lease, then SIGCONT",
            Persistence.AOF_ALWAYS,
            false,
            List.of(ProcessFaults.pauseRedis(overLease))));
    all.add(
        scenario(
            "client-kill",
            "CLIENT KILL TYPE normal: Redis drops every dq connection",
            Persistence.AOF_ALWAYS,
            false,
            List.of(ProcessFaults.clientKill()),
            ms(300),
            ms(1200)));
    all.add(
        scenario(
            "worker-kill-at-step",
            "kill -9 of a worker caught by its proxy with its claim sent but not yet run, between"
                + " handler end and ack, or after Redis ran its claim or ack but before the reply",
            Persistence.AOF_ALWAYS,
            true,
            List.of(NetworkFaults.killAtStep()),
            ms(300),
            ms(1000),
            NetworkFaults.Step.values().length));
    all.add(
        scenario(
            "net-latency",
            "20 ms each way on every connection for 3 s",
            Persistence.AOF_ALWAYS,
            true,
            List.of(NetworkFaults.latency(ms(20), Duration.ofSeconds(3)))));
    all.add(
        scenario(
            "net-blackhole",
            "every connection forwards nothing for longer than a lease, then is closed",
            Persistence.AOF_ALWAYS,
            true,
            List.of(NetworkFaults.blackhole(overLease))));
    all.add(
        scenario(
            "net-reset",
            "every connection reset (RST) at once",
            Persistence.AOF_ALWAYS,
            true,
            List.of(NetworkFaults.reset()),
            ms(300),
            ms(1200)));
    all.add(
        scenario(
            "net-cut-replies",
            "for each client process, its next 3 commands run on Redis and their connection is closed"
                + " before their reply: ambiguous enqueues, claims and acks",
            Persistence.AOF_ALWAYS,
            true,
            List.of(NetworkFaults.cutReplies(3)),
            ms(300),
            ms(1000)));
    all.add(
        new Scenario(
            "cluster-failover",
            "kill -9 of the Redis Cluster primary holding the queue (3 primaries, 3 replicas,"
                + " appendfsync always); its replica takes over, the killed node rejoins as a replica",
            Persistence.AOF_ALWAYS,
            Topology.CLUSTER,
            false,
            List.of(ProcessFaults.killClusterPrimary()),
            WARM,
            PHASE,
            COOL,
            ms(2000),
            ms(3000),
            1));
    return List.copyOf(all);
  }

  /**
   * Scenarios that must fail, run only by name: they show that the check catches a loss. Redis
   * without persistence, killed and restarted, comes back empty.
   *
   * @return the negative controls
   */
  public static List<Scenario> negativeControls() {
    return List.of(
        scenario(
            "redis-kill-nopersist",
            "negative control, must FAIL: kill -9 of Redis without persistence, behind a backlog"
                + " of acknowledged tasks (workers frozen 1.5 s), loses that backlog",
            Persistence.NONE,
            false,
            List.of(ProcessFaults.killRedisWithBacklog(Duration.ofMillis(1500)))));
  }

  /**
   * The scenario of that name, a negative control included.
   *
   * @param name its name
   * @param lease the workers' lease time
   * @return it, or empty
   */
  public static Optional<Scenario> named(String name, Duration lease) {
    return java.util.stream.Stream.concat(all(lease).stream(), negativeControls().stream())
        .filter(s -> s.name().equals(name))
        .findFirst();
  }

  /**
   * One long scenario drawing from every fault kind of every scenario that runs on one server with
   * AOF always.
   *
   * @param lease the workers' lease time
   * @param length the fault phase
   * @return the soak scenario
   */
  public static Scenario soak(Duration lease, Duration length) {
    List<Fault> faults = new ArrayList<>();
    boolean proxied = false;
    for (Scenario s : all(lease)) {
      if (s.persistence() == Persistence.AOF_ALWAYS && s.topology() == Topology.SERVER) {
        faults.addAll(s.faults());
        proxied |= s.proxied();
      }
    }
    return new Scenario(
        "soak",
        "every fault kind at random, appendfsync always",
        Persistence.AOF_ALWAYS,
        Topology.SERVER,
        proxied,
        faults,
        WARM,
        length,
        Duration.ofSeconds(5),
        ms(1000),
        ms(4000),
        1);
  }

  private static Scenario scenario(
      String name, String description, Persistence p, boolean proxied, List<Fault> faults) {
    return scenario(name, description, p, proxied, faults, ms(1000), ms(2500));
  }

  private static Scenario scenario(
      String name,
      String description,
      Persistence p,
      boolean proxied,
      List<Fault> faults,
      Duration minGap,
      Duration maxGap) {
    return scenario(name, description, p, proxied, faults, minGap, maxGap, 1);
  }

  private static Scenario scenario(
      String name,
      String description,
      Persistence p,
      boolean proxied,
      List<Fault> faults,
      Duration minGap,
      Duration maxGap,
      int minFaults) {
    return new Scenario(
        name,
        description,
        p,
        Topology.SERVER,
        proxied,
        faults,
        WARM,
        faults.isEmpty() ? Duration.ZERO : PHASE,
        COOL,
        minGap,
        maxGap,
        faults.isEmpty() ? 0 : minFaults);
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
