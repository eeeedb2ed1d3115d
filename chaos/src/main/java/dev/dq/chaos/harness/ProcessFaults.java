package dev.dq.chaos.harness;

import dev.dq.chaos.ledger.FaultWindow;
import dev.dq.chaos.process.JvmProcess;
import dev.dq.chaos.process.RedisCluster;
import dev.dq.chaos.process.RedisServer;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/** Faults of whole processes: kill -9, SIGSTOP, and Redis's own CLIENT KILL. */
final class ProcessFaults {
  private ProcessFaults() {}

  /**
   * SIGKILL of a random running worker at a random point of its work; a new one starts at once (and
   * takes a JVM start to serve).
   */
  static Fault killWorker() {
    return new Fault(
        "kill-worker",
        (rig, random) -> {
          JvmProcess victim = rig.pickReadyWorker(random);
          long at = System.currentTimeMillis();
          rig.killAndRestart(victim);
          return new FaultWindow("kill -9 " + victim.name(), at, at);
        });
  }

  /** SIGSTOP of a random worker for longer than a lease, then SIGCONT: its leases are lost. */
  static Fault pauseWorker(Duration length) {
    return new Fault(
        "pause-worker",
        (rig, random) -> {
          JvmProcess victim = rig.pickReadyWorker(random);
          long at = System.currentTimeMillis();
          victim.pause();
          Thread.sleep(length.toMillis());
          victim.unpause();
          return new FaultWindow(
              "SIGSTOP " + victim.name() + " " + length.toMillis() + " ms",
              at,
              System.currentTimeMillis());
        });
  }

  /** SIGKILL of Redis, down for {@code down}, then restarted on the same port and directory. */
  static Fault killRedis(Duration down) {
    return new Fault(
        "kill-redis",
        (rig, random) -> {
          long at = System.currentTimeMillis();
          rig.redis().kill9();
          Thread.sleep(down.toMillis());
          rig.redis().restart();
          return new FaultWindow("kill -9 redis", at, System.currentTimeMillis());
        });
  }

  /**
   * SIGKILL of the cluster primary that holds the chaos queue; once its replica took over, it is
   * restarted on its port and directory and rejoins as a replica of the new primary. The window
   * spans the kill to the cluster being healthy again, the restarted node in sync.
   */
  static Fault killClusterPrimary() {
    return new Fault(
        "kill-cluster-primary",
        (rig, random) -> {
          RedisCluster cluster = rig.cluster();
          RedisServer victim = cluster.holder(Rig.queueKey());
          long at = System.currentTimeMillis();
          victim.kill9();
          RedisServer promoted = cluster.awaitFailover(Rig.queueKey(), victim);
          long failover = System.currentTimeMillis() - at;
          victim.restart();
          cluster.awaitHealthy();
          long end = System.currentTimeMillis();
          return new FaultWindow(
              "kill -9 cluster primary "
                  + victim.port()
                  + ", "
                  + promoted.port()
                  + " promoted after "
                  + failover
                  + " ms, healthy after "
                  + (end - at)
                  + " ms",
              at,
              end);
        });
  }

  /**
   * For the negative control: every worker frozen for {@code backlog} so that acknowledged tasks
   * wait in Redis, then Redis killed and restarted while they wait, then the workers continued.
   * Without persistence the waiting tasks are gone, so the check must report them lost.
   */
  static Fault killRedisWithBacklog(Duration backlog) {
    return new Fault(
        "kill-redis-with-backlog",
        (rig, random) -> {
          List<JvmProcess> workers = rig.readyWorkers();
          long at = System.currentTimeMillis();
          workers.forEach(JvmProcess::pause);
          try {
            Thread.sleep(backlog.toMillis());
            rig.redis().kill9();
            rig.redis().restart();
          } finally {
            workers.forEach(JvmProcess::unpause);
          }
          return new FaultWindow(
              "kill -9 redis behind a " + backlog.toMillis() + " ms backlog",
              at,
              System.currentTimeMillis());
        });
  }

  /** SIGSTOP of Redis for {@code length}: every call hangs until its socket timeout. */
  static Fault pauseRedis(Duration length) {
    return new Fault(
        "pause-redis",
        (rig, random) -> {
          long at = System.currentTimeMillis();
          rig.redis().pause();
          Thread.sleep(length.toMillis());
          rig.redis().unpause();
          return new FaultWindow(
              "SIGSTOP redis " + length.toMillis() + " ms", at, System.currentTimeMillis());
        });
  }

  /** {@code CLIENT KILL TYPE normal}: Redis drops every client connection but the harness's. */
  static Fault clientKill() {
    return new Fault(
        "client-kill",
        (rig, random) -> {
          long at = System.currentTimeMillis();
          try (Jedis admin = rig.redis().admin()) {
            admin.clientKill(ClientKillParams.clientKillParams().type(ClientType.NORMAL));
          }
          return new FaultWindow("CLIENT KILL TYPE normal", at, at);
        });
  }
}
