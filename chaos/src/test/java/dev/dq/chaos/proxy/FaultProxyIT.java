package dev.dq.chaos.proxy;

import static dev.dq.chaos.proxy.RespClient.cmd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.adapter.redis.TestRedis;
import dev.dq.core.task.Task;
import java.io.EOFException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;

final class FaultProxyIT {
  private static final int TIMEOUT_MS = 500;

  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  private FaultProxy proxy;
  private Jedis direct;

  @BeforeEach
  void setUp() {
    proxy = FaultProxy.start("test", redis.port());
    direct = new Jedis("127.0.0.1", redis.port());
  }

  @AfterEach
  void tearDown() {
    proxy.close();
    direct.close();
  }

  @Test
  void pass_pipelinedCommandsAndALargeValue_arriveWholeAndTheirRepliesComeBack() {
    byte[] big = new byte[1024 * 1024];
    new Random(7).nextBytes(big);
    try (Jedis client = new Jedis("127.0.0.1", proxy.port(), 5000)) {
      Pipeline pipeline = client.pipelined();
      for (int i = 0; i < 200; i++) {
        pipeline.set("k" + i, "v" + i);
      }
      pipeline.set("big".getBytes(StandardCharsets.UTF_8), big);
      Response<byte[]> echoed = pipeline.get("big".getBytes(StandardCharsets.UTF_8));
      Response<String> last = pipeline.get("k199");
      pipeline.sync();

      assertThat(echoed.get()).isEqualTo(big);
      assertThat(last.get()).isEqualTo("v199");
    }
    assertThat(direct.get("big".getBytes(StandardCharsets.UTF_8))).isEqualTo(big);
    assertThat(direct.get("k0")).isEqualTo("v0");
    assertThat(proxy.stats().commands()).isGreaterThanOrEqualTo(202);
    assertThat(proxy.stats().bytes()).isGreaterThan(2L * big.length);
  }

  @Test
  void latency_delaysARoundTripByAtLeastTwiceTheOneWayDelay() throws Exception {
    try (RespClient client = new RespClient(proxy.port(), 5000)) {
      assertThat(client.send(cmd("PING")).reply()).isEqualTo("+PONG\r\n");
      proxy.latency(Duration.ofMillis(150));

      long started = System.nanoTime();
      String reply = client.send(cmd("PING")).reply();
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      assertThat(reply).isEqualTo("+PONG\r\n");
      assertThat(tookMs).isGreaterThanOrEqualTo(300);
    }
  }

  @Test
  void blackhole_commandTimesOut_thenPassClosesTheConnectionAndANewOneWorks() throws Exception {
    try (RespClient client = new RespClient(proxy.port(), TIMEOUT_MS)) {
      assertThat(client.send(cmd("PING")).reply()).isEqualTo("+PONG\r\n");
      proxy.blackhole();

      assertThatThrownBy(() -> client.send(cmd("SET", "lost", "1")).reply())
          .isInstanceOf(SocketTimeoutException.class);
      proxy.pass();

      assertThatThrownBy(client::reply).isInstanceOfAny(EOFException.class, SocketException.class);
    }
    try (RespClient fresh = new RespClient(proxy.port(), TIMEOUT_MS)) {
      assertThat(fresh.send(cmd("PING")).reply()).isEqualTo("+PONG\r\n");
    }
    assertThat(direct.get("lost")).isNull();
  }

  @Test
  void reset_clientSeesAConnectionReset_andNewConnectionsPass() throws Exception {
    try (RespClient client = new RespClient(proxy.port(), 5000)) {
      assertThat(client.send(cmd("PING")).reply()).isEqualTo("+PONG\r\n");

      proxy.reset();

      assertThatThrownBy(client::read)
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
    try (RespClient fresh = new RespClient(proxy.port(), 5000)) {
      assertThat(fresh.send(cmd("PING")).reply()).isEqualTo("+PONG\r\n");
    }
  }

  @Test
  void cutReplies_one_setIsAppliedButTheClientGetsAnError() {
    try (Jedis client = new Jedis("127.0.0.1", proxy.port(), 5000)) {
      client.ping(); // connected, with whatever Jedis sends on connect
      proxy.cutReplies(1);

      assertThatThrownBy(() -> client.set("cut", "applied"))
          .isInstanceOf(JedisConnectionException.class)
          .hasMessageContaining("end of stream"); // closed, not timed out
    }
    assertThat(direct.get("cut")).isEqualTo("applied");
    assertThat(proxy.stats().cut()).isEqualTo(1);
    try (Jedis next = new Jedis("127.0.0.1", proxy.port(), 5000)) {
      assertThat(next.set("after", "1")).isEqualTo("OK"); // the budget was one command
    }
  }

  @Test
  void holdNext_heldCommandIsNeverApplied_earlierOnesAre_andClientLeavingClosesIt()
      throws Exception {
    CompletableFuture<Command> held = proxy.holdNext(c -> c.is("SET", "held"));
    try (RespClient client = new RespClient(proxy.port(), TIMEOUT_MS)) {
      assertThat(client.send(cmd("CLIENT", "SETNAME", "holder")).reply()).isEqualTo("+OK\r\n");

      client.send(cmd("SET", "before", "1"), cmd("SET", "held", "1"), cmd("SET", "after", "1"));

      Command command = held.get(5, TimeUnit.SECONDS);
      assertThat(command.name()).isEqualTo("SET");
      assertThat(command.args()).containsExactly("held", "1");
      // The reply to "before" may have passed before the hold froze the connection; nothing more
      // may come: no reply to the held command, none to the one after it.
      try {
        assertThat(client.reply()).isEqualTo("+OK\r\n");
      } catch (SocketTimeoutException frozenAlready) {
        // the hold froze the connection before the reply to "before" went back
      }
      assertThatThrownBy(client::reply).isInstanceOf(SocketTimeoutException.class); // frozen
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !direct.clientList().contains("holder"));
    assertThat(direct.get("before")).isEqualTo("1");
    assertThat(direct.get("held")).isNull();
    assertThat(direct.get("after")).isNull();
    assertThat(proxy.stats().held()).isEqualTo(1);
  }

  @Test
  void holdNext_cancelled_withdrawsTheRule_soTheCommandPassesLater() throws Exception {
    CompletableFuture<Command> held = proxy.holdNext(c -> c.is("SET", "late"));
    held.cancel(false);
    try (RespClient client = new RespClient(proxy.port(), TIMEOUT_MS)) {
      assertThat(client.send(cmd("SET", "late", "1")).reply()).isEqualTo("+OK\r\n");
    }
    assertThat(direct.get("late")).isEqualTo("1");
    assertThat(proxy.stats().held()).isZero();
  }

  @Test
  void swallowReplyOfNext_commandIsApplied_earlierRepliesPass_itsReplyNever() throws Exception {
    CompletableFuture<Command> swallowed = proxy.swallowReplyOfNext(c -> c.is("INCR"));
    try (RespClient client = new RespClient(proxy.port(), TIMEOUT_MS)) {
      assertThat(client.send(cmd("HELLO", "3")).reply()).startsWith("%");
      direct.hset("h", "f", "v");

      client.send(cmd("HGETALL", "h"), cmd("INCR", "counter"), cmd("SET", "after", "1"));

      assertThat(client.reply()).isEqualTo("%1\r\n$1\r\nf\r\n$1\r\nv\r\n");
      assertThat(swallowed.get(5, TimeUnit.SECONDS).name()).isEqualTo("INCR");
      assertThat(direct.get("counter")).isEqualTo("1");
      assertThatThrownBy(client::reply).isInstanceOf(SocketTimeoutException.class);
    }
    assertThat(direct.get("after")).isNull();
    assertThat(proxy.stats().swallowed()).isEqualTo(1);
  }

  @Test
  void holdNext_scriptDigest_holdsTheBrokersEvalshaOfThatScript() throws Exception {
    String enqueue = RedisBroker.scriptDigests().get("enqueue");
    CompletableFuture<Command> held = proxy.holdNext(c -> c.is("EVALSHA", enqueue));
    RedisBrokerConfig config =
        RedisBrokerConfig.builder("redis://127.0.0.1:" + proxy.port())
            .socketTimeout(Duration.ofMillis(TIMEOUT_MS))
            .build();
    try (RedisBroker broker = RedisBroker.connect(config)) {
      CompletableFuture<Void> enqueuing =
          CompletableFuture.runAsync(
              () -> {
                try {
                  broker.enqueue(
                      Task.builder("t").queue("q").createdAt(Instant.EPOCH).build(),
                      Duration.ofSeconds(1));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });

      Command command = held.get(5, TimeUnit.SECONDS);
      assertThat(command.args().get(0)).isEqualTo(enqueue);
      proxy.close(); // the enqueue's retries now fail
      assertThatThrownBy(() -> enqueuing.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class);
    }
    assertThat(direct.keys("dq:{q}:*")).isEmpty();
  }

  @Test
  void retarget_newConnectionsGoToTheNewPort_existingOnesStay() throws Exception {
    try (RespClient before = new RespClient(proxy.port(), 5000);
        ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(before.send(cmd("PING")).reply()).isEqualTo("+PONG\r\n");

      proxy.retarget(other.getLocalPort());
      try (RespClient after = new RespClient(proxy.port(), 5000);
          Socket arrived = other.accept()) {
        after.send(cmd("PING"));
        arrived.getOutputStream().write("+ELSEWHERE\r\n".getBytes(StandardCharsets.US_ASCII));

        assertThat(after.reply()).isEqualTo("+ELSEWHERE\r\n");
      }
      assertThat(before.send(cmd("PING")).reply()).isEqualTo("+PONG\r\n");
    }
  }

  @Test
  void close_failsRulesNotUsedAndClosesConnections() throws Exception {
    CompletableFuture<Command> never = proxy.holdNext(c -> false);
    try (RespClient client = new RespClient(proxy.port(), 5000)) {
      assertThat(client.send(cmd("PING")).reply()).isEqualTo("+PONG\r\n");

      proxy.close();

      assertThat(never).isCompletedExceptionally();
      assertThat(client.read()).isEqualTo(-1);
    }
    assertThat(proxy.stats()).isEqualTo(new Stats(1, 1, 0, 0, 0, 21));
  }
}
