package dev.dq.chaos.proxy;

import dev.dq.chaos.proxy.Faults.Action;
import dev.dq.chaos.proxy.Faults.Kind;
import dev.dq.chaos.proxy.Faults.Mode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy between dq processes and one Redis that injects network faults: added latency, a
 * blackhole, connection resets, and replies cut off after Redis ran the command, so that ambiguous
 * enqueues, acks and claims happen for real. It listens on {@code 127.0.0.1} on a free port and
 * forwards to {@code 127.0.0.1:upstreamPort}. It parses the client's RESP stream into {@link
 * Command commands} and Redis's into replies (RESP2 and RESP3), so rules can act on one command and
 * on exactly the reply that answers it.
 *
 * <p>A mode ({@link #pass}, {@link #latency}, {@link #blackhole}) applies to existing and new
 * connections until changed. The rules ({@link #holdNext}, {@link #swallowReplyOfNext}, {@link
 * #cutReplies}) are one-shot and apply to the next matching commands on any connection. Each
 * connection has two named daemon threads. Thread-safe.
 *
 * <p>Scripts: dq runs its Lua scripts with {@code EVALSHA <sha1> numkeys keys... args...}; {@code
 * RedisBroker.scriptDigests()} names each script's SHA1, so {@code c -> c.is("EVALSHA",
 * digests.get("ack"))} matches an ack. After a Redis restart the first EVALSHA of a script gets a
 * NOSCRIPT error and dq sends it again as {@code EVAL <source>}: a rule on the EVALSHA then acts on
 * that first attempt.
 */
public final class FaultProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);
  private static final Duration CLOSE_WAIT = Duration.ofMillis(500);

  private final String name;
  private final ServerSocket server;
  private final Faults faults = new Faults();
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread acceptor;
  private volatile int upstreamPort;

  private FaultProxy(String name, int upstreamPort) throws IOException {
    this.name = name;
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "fault-proxy-" + name + "-accept");
    acceptor.setDaemon(true);
  }

  /**
   * Starts a proxy in pass mode.
   *
   * @param name names its threads and log lines, e.g. {@code "redis-1"}
   * @param upstreamPort the Redis port on {@code 127.0.0.1}
   * @return the running proxy
   * @throws UncheckedIOException if it cannot listen
   */
  public static FaultProxy start(String name, int upstreamPort) {
    Objects.requireNonNull(name, "name");
    requirePort(upstreamPort);
    try {
      FaultProxy proxy = new FaultProxy(name, upstreamPort);
      proxy.acceptor.start();
      log.info("proxy {}: 127.0.0.1:{} -> 127.0.0.1:{}", name, proxy.port(), upstreamPort);
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("proxy " + name + ": cannot listen", e);
    }
  }

  /** The port clients connect to, on {@code 127.0.0.1}. */
  public int port() {
    return server.getLocalPort();
  }

  /**
   * Sends new connections to another Redis port (Redis restarted elsewhere, a failover); existing
   * connections stay where they are.
   *
   * @param upstreamPort the Redis port on {@code 127.0.0.1}
   */
  public void retarget(int upstreamPort) {
    this.upstreamPort = requirePort(upstreamPort);
    log.info("proxy {}: new connections go to 127.0.0.1:{}", name, upstreamPort);
  }

  /** Forwards everything as it comes. Ends a blackhole (closing the connections it broke). */
  public void pass() {
    mode(Mode.PASS);
  }

  /**
   * Delays each chunk, both directions, by {@code oneWay} from its arrival, keeping their order. A
   * chunk that arrives while the one before waits is read after it, so bursts may wait longer;
   * never less.
   *
   * @param oneWay the delay each way, positive
   */
  public void latency(Duration oneWay) {
    mode(Mode.latency(oneWay));
  }

  /**
   * Accepts and reads, forwards nothing either way, like a network partition. When the mode ends
   * the connections that lost bytes in it are closed: their streams are broken.
   */
  public void blackhole() {
    mode(Mode.BLACKHOLE);
  }

  /** Closes every current connection with an RST (SO_LINGER 0), then forwards as in pass mode. */
  public void reset() {
    mode(Mode.PASS);
    List<Connection> now = new ArrayList<>(connections);
    now.forEach(c -> c.close(true));
    log.info("proxy {}: reset {} connections", name, now.size());
  }

  /**
   * The next {@code commands} commands, on any connection, are forwarded whole; then each one's
   * connection is closed when Redis starts to reply, before the reply reaches the client (which
   * sends nothing more on it). Replaces any budget left.
   *
   * @param commands how many, 0 to cancel
   */
  public void cutReplies(int commands) {
    if (commands < 0) {
      throw new IllegalArgumentException("commands must be >= 0: " + commands);
    }
    faults.cutReplies(commands);
  }

  /**
   * The next command that matches is not forwarded: its connection freezes (nothing more is
   * forwarded either way) and the future completes with the command, e.g. for the harness to kill
   * -9 the client. The connection closes when the client goes away or on {@link #close()}.
   *
   * @param match which command; a predicate that throws fails the future
   * @return completes with the held command; fails if the proxy closes first; cancelling it
   *     withdraws the rule
   */
  public CompletableFuture<Command> holdNext(Predicate<Command> match) {
    return faults.addRule(Action.HOLD, match);
  }

  /**
   * The next command that matches is forwarded, and so is every reply to the commands the client
   * pipelined before it; its reply is swallowed, and the connection freezes. Nothing the client
   * sends after it is forwarded. The future completes once the whole reply has arrived: Redis ran
   * the command.
   *
   * @param match which command; a predicate that throws fails the future
   * @return completes with the command; fails if the connection or proxy closes before its reply;
   *     cancelling it withdraws the rule
   */
  public CompletableFuture<Command> swallowReplyOfNext(Predicate<Command> match) {
    return faults.addRule(Action.SWALLOW, match);
  }

  /** What this proxy did so far. */
  public Stats stats() {
    return faults.stats();
  }

  /**
   * Closes the listening socket and every connection, fails the rules not used yet, and waits for
   * its threads at most half a second. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeQuietly(server);
    List<Connection> open = new ArrayList<>(connections);
    open.forEach(c -> c.close(false));
    faults.failRules(new IllegalStateException("proxy " + name + " closed"));
    List<Thread> threads = new ArrayList<>(List.of(acceptor));
    open.forEach(c -> threads.addAll(List.of(c.threads())));
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    try {
      for (Thread t : threads) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          break;
        }
        t.join(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    threads.stream()
        .filter(Thread::isAlive)
        .forEach(t -> log.warn("proxy {}: {} still running after close", name, t.getName()));
  }

  @Override
  public String toString() {
    return "FaultProxy[" + name + " 127.0.0.1:" + port() + " -> " + upstreamPort + "]";
  }

  private void mode(Mode next) {
    Mode previous = faults.mode(next);
    if (previous.kind() == Kind.BLACKHOLE && next.kind() != Kind.BLACKHOLE) {
      // after the mode changed: a pump that taints its connection later sees the change itself
      connections.stream().filter(Connection::tainted).forEach(c -> c.close(false));
    }
    log.info(
        "proxy {}: {}",
        name,
        next.kind() == Kind.LATENCY
            ? "latency " + next.delay()
            : next.kind().name().toLowerCase(Locale.ROOT));
  }

  private void acceptLoop() {
    while (!closed.get()) {
      Socket client;
      try {
        client = server.accept();
        client.setTcpNoDelay(true);
      } catch (IOException e) {
        if (!closed.get()) {
          log.warn("proxy {}: accept failed, no more connections", name, e);
        }
        return;
      }
      faults.connections.increment();
      Connection c =
          new Connection(
              ids.incrementAndGet(), name, client, upstreamPort, faults, connections::remove);
      connections.add(c);
      if (closed.get()) {
        c.close(false);
      } else {
        c.start();
      }
    }
  }

  private static int requirePort(int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("upstreamPort must be in 1..65535: " + port);
    }
    return port;
  }

  private static void closeQuietly(ServerSocket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
