package dev.dq.chaos.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A real {@code redis-server} the harness owns: its own port on 127.0.0.1, its own directory (so a
 * restart replays its AOF), {@code noeviction}. The harness kills it with SIGKILL, stops it with
 * SIGSTOP and restarts it on the same port.
 */
public final class RedisServer implements RedisTopology {
  private static final Duration START_BOUND = Duration.ofSeconds(15);

  private final Path binary;
  private final Path dir;
  private final int port;
  private final List<String> args;
  private Process process;
  private boolean stopped;

  private RedisServer(Path binary, Path dir, int port, List<String> args) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
    this.args = args;
  }

  /**
   * Starts a server and waits until it answers PING.
   *
   * @param binary the {@code redis-server} to run
   * @param dir its working directory (created)
   * @param persistence AOF policy
   * @param extraArgs further {@code --option value} pairs
   * @return the running server
   */
  public static RedisServer start(
      Path binary, Path dir, Persistence persistence, List<String> extraArgs) {
    List<String> args = new ArrayList<>(persistence.args());
    args.addAll(List.of("--save", "", "--maxmemory-policy", "noeviction"));
    args.addAll(extraArgs);
    RedisServer server = new RedisServer(binary, dir, Ports.free(), List.copyOf(args));
    server.launch();
    return server;
  }

  /**
   * The {@code redis-server} to run: {@code $REDIS_SERVER}, else the first on {@code PATH}.
   *
   * @return its path
   * @throws IllegalStateException if there is none
   */
  public static Path findBinary() {
    String env = System.getenv("REDIS_SERVER");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(d, "redis-server");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no redis-server on PATH; install it (apt-get install redis-server) or set REDIS_SERVER");
  }

  /**
   * The port it listens on, the same across restarts.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  @Override
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Every key is on this server. */
  @Override
  public RedisServer holder(String key) {
    return this;
  }

  /**
   * Whether the process runs (it may be stopped).
   *
   * @return true unless killed and not yet restarted
   */
  public boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL: no shutdown, no final fsync. Waits until the process is gone. */
  public void kill9() {
    if (stopped) {
      Signals.resume(process.pid()); // a stopped process dies on SIGKILL too, but be explicit
      stopped = false;
    }
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server " + port + " survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing redis-server", e);
    }
  }

  /** Starts it again on the same port and directory; with AOF it replays its log. */
  public void restart() {
    launch();
  }

  /** SIGSTOP: the process freezes; its sockets stay open and accept nothing. */
  public void pause() {
    Signals.stop(process.pid());
    stopped = true;
  }

  /** SIGCONT after {@link #pause()}. */
  public void unpause() {
    Signals.resume(process.pid());
    stopped = false;
  }

  /**
   * A new admin connection (the caller closes it).
   *
   * @return a connection
   */
  public Jedis admin() {
    return new Jedis(
        new HostAndPort("127.0.0.1", port),
        DefaultJedisClientConfig.builder()
            .timeoutMillis(5000)
            .protocol(RedisProtocol.RESP2)
            .build());
  }

  private void launch() {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(
        List.of(
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            dir.toString(),
            "--daemonize",
            "no",
            "--logfile",
            dir.resolve("redis.log").toString()));
    command.addAll(args);
    try {
      Files.createDirectories(dir);
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    long deadline = System.nanoTime() + START_BOUND.toNanos();
    while (true) {
      try (Jedis j = admin()) {
        if ("PONG".equals(j.ping())) {
          return;
        }
      } catch (JedisException e) {
        // loading the AOF answers LOADING, not yet started refuses the connection: wait
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "redis-server on port " + port + " exited; see " + dir.resolve("redis.log"), e);
        }
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly(); // never leave a half-started server behind
        throw new IllegalStateException("redis-server on port " + port + " did not start");
      }
      sleep(50);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** SIGKILL (which ends a stopped process too), waiting a little for it to go. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // keep the flag for the caller; the kill is sent
      }
    }
  }
}
