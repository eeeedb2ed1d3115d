package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Protocol;

/**
 * Connections cut by CLIENT KILL, and Redis killed with kill -9, under load: nothing acknowledged
 * is lost.
 */
final class ConnectionFaultIT {
  @RegisterExtension static final TestRedis redis = TestRedis.durable();

  /** Cuts every client connection except the admin's own. */
  @SuppressWarnings("deprecation")
  static long killClients() {
    Object n =
        redis
            .admin()
            .sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "normal", "SKIPME", "yes");
    return (Long) n;
  }

  /**
   * Connections of idle workers blocked in BLMPOP are cut; they notice, reconnect and take new
   * work.
   */
  @Test
  void clientKill_whileWorkersBlocked_workResumes() throws Exception {
    try (RedisBroker broker = redis.broker(100_000);
        LoadHarness load = new LoadHarness(broker)) {
      load.workers(4, 0).reaper();
      // Every worker idle in its wait, and Redis shows the shared BLMPOP blocked: the connections
      // to cut exist.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> load.workersAwaitingWakeup() && redis.clientsBlockedIn("blmpop") > 0);
      long killed = killClients();
      long cut = System.nanoTime();

      load.producer("t", 200, 0);
      load.awaitAllCompleted(200, Duration.ofSeconds(60));

      Duration recovery = Duration.ofNanos(load.lastCompletionNanos.get() - cut);
      var hung = load.stop(Duration.ofSeconds(30));
      System.out.printf("FAULT client-kill-while-blocked connections cut=%d%n", killed);
      new Figures(
              "client-kill-while-blocked",
              load.accepted.size(),
              load.completed.size(),
              0,
              load.lost(),
              load.duplicated(),
              recovery)
          .print();
      assertThat(killed).isPositive();
      assertThat(hung).isEmpty();
      assertThat(load.failures).isEmpty();
      assertThat(load.lost()).isZero();
    }
  }

  /** Connections are cut again and again while producers enqueue and workers ack. */
  @Test
  void clientKill_whileEnqueuing_nothingLost() throws Exception {
    int perProducer = 1000;
    try (RedisBroker broker = redis.broker(100_000);
        LoadHarness load = new LoadHarness(broker)) {
      load.workers(4, 0).reaper().producer("a", perProducer, 1).producer("b", perProducer, 1);
      long killed = 0;
      long lastCut = 0;
      for (int i = 0; i < 10; i++) {
        // Each cut lands in traffic: producers and workers made progress since the last one.
        int acceptedBefore = load.accepted.size();
        int completedBefore = load.completed.size();
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    load.accepted.size() > acceptedBefore
                        && load.completed.size() > completedBefore);
        killed += killClients();
        lastCut = System.nanoTime();
      }
      load.awaitAllCompleted(2 * perProducer, Duration.ofSeconds(120));

      long cutAt = lastCut;
      Duration recovery = Duration.ofNanos(Math.max(0, load.lastCompletionNanos.get() - cutAt));
      var hung = load.stop(Duration.ofSeconds(30));
      System.out.printf(
          "FAULT client-kill-while-enqueuing connections cut=%d unavailable errors seen=%d%n",
          killed, load.unavailable.get());
      new Figures(
              "client-kill-while-enqueuing",
              load.accepted.size(),
              load.completed.size(),
              0,
              load.lost(),
              load.duplicated(),
              recovery)
          .print();
      assertThat(hung).isEmpty();
      assertThat(load.failures).isEmpty();
      assertThat(load.accepted).hasSize(2 * perProducer);
      assertThat(load.lost()).isZero();
    }
  }

  /**
   * Redis (appendonly yes, appendfsync always) is killed with kill -9 under load and restarted on
   * the same port and directory. Every enqueue acknowledged to a producer survives; producers and
   * workers resume by themselves.
   */
  @Test
  void redisKill9_andRestart_keepsEveryAcknowledgedEnqueue() throws Exception {
    int perProducer = 1000;
    try (RedisBroker broker = redis.broker(100_000);
        LoadHarness load = new LoadHarness(broker)) {
      load.workers(4, 2).reaper().producer("a", perProducer, 1).producer("b", perProducer, 1);
      await().atMost(Duration.ofSeconds(60)).until(() -> load.completed.size() >= 200);

      redis.kill9();
      long acceptedAtKill = load.accepted.size();
      long completedAtKill = load.completed.size();
      long unavailableAtKill = load.unavailable.get();
      // Down until the clients have felt it: at least one call failed because Redis was
      // unreachable.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> load.unavailable.get() > unavailableAtKill);
      redis.restart();
      long restarted = System.nanoTime();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> load.lastCompletionNanos.get() > restarted);
      Duration recovery = Duration.ofNanos(load.lastCompletionNanos.get() - restarted);

      load.awaitAllCompleted(2 * perProducer, Duration.ofSeconds(180));
      var hung = load.stop(Duration.ofSeconds(30));
      System.out.printf(
          "FAULT redis-kill9-restart at kill: accepted=%d completed=%d; unavailable errors seen=%d, "
              + "acks with unknown outcome=%d%n",
          acceptedAtKill, completedAtKill, load.unavailable.get(), load.ackUncertain.size());
      new Figures(
              "redis-kill9-restart",
              load.accepted.size(),
              load.completed.size(),
              0,
              load.lost(),
              load.duplicated(),
              recovery)
          .print();
      assertThat(hung).isEmpty();
      assertThat(load.failures).isEmpty();
      assertThat(load.accepted).hasSize(2 * perProducer);
      assertThat(load.lost()).isZero();
    }
  }
}
