package dev.dq.adapter.redis;

import dev.dq.testing.BackgroundCall;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A real {@code redis-server} for one test class, on a free loopback port with its own directory,
 * never the shared 6379. The binary is {@code $REDIS_SERVER}, else {@code redis-server} on PATH,
 * else the static Redis 7.0.15 inside the {@code org.signal:embedded-redis} jar, extracted once. It
 * can be killed with kill -9 and restarted on the same port and directory (so with {@code
 * appendonly yes} it comes back with its data). Public because it ships in this module's test-jar:
 * the app's tests run the real dq jar against it.
 *
 * <p>Also a JUnit 5 extension, so a test class need not start, flush and close it by hand:
 *
 * <pre>{@code
 * @RegisterExtension static final TestRedis redis = TestRedis.plain();  // one server per class, flushed before each test
 * @RegisterExtension final TestRedis redis = TestRedis.durable();       // instance field: a new server for each test
 * }</pre>
 *
 * Registered in a static field it starts before the class's first test, is flushed before each test
 * (unless TLS-only or built with {@link #keepingData()}), and is closed after the last; in an
 * instance field it starts before each test and is closed after it. {@link #start()} and the other
 * {@code start*} factories return a server already running, for callers that manage it themselves.
 */
public final class TestRedis
    implements AutoCloseable,
        BeforeAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        AfterAllCallback {
  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static Path extracted;

  private final Path dir;
  private final int port;
  private final List<String> extraArgs;
  private final boolean tls;
  private final boolean flushBeforeEach;

  /** Set for a sentinel: its config file, written once in {@code dir}. */
  private final String sentinelConfig;

  private Process process;
  private RedisClient admin;
  private boolean perTest;

  private TestRedis(
      Path dir,
      int port,
      List<String> extraArgs,
      boolean tls,
      boolean flushBeforeEach,
      String sentinelConfig) {
    this.dir = dir;
    this.port = port;
    this.extraArgs = extraArgs;
    this.tls = tls;
    this.flushBeforeEach = flushBeforeEach && !tls && sentinelConfig == null;
    this.sentinelConfig = sentinelConfig;
  }

  /** For {@code @RegisterExtension}: a server without persistence, started by JUnit. */
  public static TestRedis plain() {
    return create(dir -> List.of("--appendonly", "no"), false);
  }

  /**
   * For {@code @RegisterExtension}: a server that fsyncs every write before the reply, started by
   * JUnit.
   */
  public static TestRedis durable() {
    return create(dir -> List.of("--appendonly", "yes", "--appendfsync", "always"), false);
  }

  /**
   * This server, but JUnit does not flush it before each test (the test sets up its data itself).
   */
  public TestRedis keepingData() {
    return new TestRedis(dir, port, extraArgs, tls, false, sentinelConfig);
  }

  /** Starts a server without persistence. */
  public static TestRedis start() {
    return start(List.of("--appendonly", "no"));
  }

  /** Starts a server whose every write is fsynced to its append-only file before the reply. */
  public static TestRedis startDurable() {
    return start(List.of("--appendonly", "yes", "--appendfsync", "always"));
  }

  public static TestRedis start(List<String> extraArgs) {
    return start(dir -> extraArgs);
  }

  /** Starts a server with arguments that may name files in its own fresh directory. */
  static TestRedis start(Function<Path, List<String>> extraArgs) {
    return start(extraArgs, false);
  }

  /**
   * Starts a server that listens only with TLS ({@code --port 0 --tls-port N}); {@code extraArgs}
   * must name its certificate files. Ready once the port accepts connections; {@link #admin()} is
   * not available.
   */
  static TestRedis startTls(Function<Path, List<String>> extraArgs) {
    return start(extraArgs, true);
  }

  private static TestRedis start(Function<Path, List<String>> extraArgs, boolean tls) {
    TestRedis redis = create(extraArgs, tls);
    redis.launch();
    return redis;
  }

  /** A server not started yet, with its own fresh directory and a free port. */
  private static TestRedis create(Function<Path, List<String>> extraArgs, boolean tls) {
    try {
      Path dir = Files.createTempDirectory("dq-redis-");
      return new TestRedis(dir, freePort(), List.copyOf(extraArgs.apply(dir)), tls, true, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts {@code redis-server <config> --sentinel} with {@code config} (the {@code sentinel ...}
   * lines) as its config file, which the sentinel rewrites as it learns. Used by {@link
   * TestSentinel}.
   */
  static TestRedis startSentinel(String config) {
    try {
      Path dir = Files.createTempDirectory("dq-sentinel-");
      TestRedis sentinel = new TestRedis(dir, freePort(), List.of(), false, false, config);
      Files.writeString(dir.resolve("sentinel.conf"), config);
      sentinel.launch();
      return sentinel;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The operating system's id of the running process. */
  public synchronized long pid() {
    return process.pid();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    launch();
  }

  /**
   * Flushes a per-class server; starts a per-test one (an instance field gets no {@link #beforeAll}
   * call).
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    boolean running;
    synchronized (this) {
      running = process != null;
      perTest = !running;
    }
    if (!running) {
      launch();
    } else if (flushBeforeEach) {
      flushAll();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /**
   * A client for raw commands (FLUSHALL, CLIENT KILL, hand-written entries); closed with this
   * server.
   */
  public synchronized RedisClient admin() {
    if (tls) {
      throw new IllegalStateException("no plain-text admin client for a TLS-only server");
    }
    if (admin == null) {
      admin = RedisClient.create("127.0.0.1", port);
    }
    return admin;
  }

  public void flushAll() {
    admin().flushAll();
  }

  RedisBrokerConfig.Builder config() {
    return RedisBrokerConfig.builder(url()).blockTimeout(Duration.ofMillis(500));
  }

  RedisBroker broker(InstantSource clock, int capacity) {
    return RedisBroker.connect(config().testClock(clock).capacityPerQueue(capacity).build());
  }

  RedisBroker broker(int capacity) {
    return RedisBroker.connect(config().capacityPerQueue(capacity).build());
  }

  /** kill -9: no shutdown, no final fsync. */
  public synchronized void kill9() {
    if (admin != null) {
      admin.close(); // its pooled connections die with the server; the next admin() starts afresh
      admin = null;
    }
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts the server again on the same port and directory, and waits until it answers PING. */
  public synchronized void restart() {
    launch();
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close();
      admin = null;
    }
    if (process != null) {
      kill9();
      process = null;
    }
  }

  private synchronized void launch() {
    List<String> ports =
        tls
            ? List.of("--port", "0", "--tls-port", Integer.toString(port))
            : List.of("--port", Integer.toString(port));
    List<String> cmd = new ArrayList<>(List.of(binary().toString()));
    if (sentinelConfig != null) {
      cmd.addAll(List.of(dir.resolve("sentinel.conf").toString(), "--sentinel"));
    }
    cmd.addAll(List.of("--bind", "127.0.0.1"));
    cmd.addAll(ports);
    cmd.addAll(
        List.of(
            "--dir",
            dir.toString(),
            "--save",
            "",
            "--daemonize",
            "no",
            "--logfile",
            dir.resolve("redis.log").toString()));
    cmd.addAll(extraArgs);
    try {
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd, e);
    }
    Process started = process;
    Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
    awaitPong();
  }

  private void awaitPong() {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited with " + process.exitValue() + "; see " + dir + ":\n" + log());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        if (tls) {
          return; // listening; the test's own handshake tells whether TLS works
        }
        s.setSoTimeout(1000);
        s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] buf = new byte[64];
        int n = s.getInputStream().read(buf);
        if (n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG")) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting redis", e);
      }
    }
    throw new IllegalStateException(
        "redis-server on port " + port + " did not answer PING within " + STARTUP);
  }

  /** The server's log so far, for failure messages. */
  String log() {
    try {
      Path log = dir.resolve("redis.log");
      return Files.exists(log) ? Files.readString(log) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /**
   * Puts the server out of memory: writes 2 MB of filler strings ({@code filler:<n>}), then sets
   * the noeviction policy and a {@code maxmemory} 1 MB below the memory now used, so that Redis
   * refuses every deny-oom command with a margin that the server's own small fluctuations cannot
   * cross. {@link #dropFillers()} brings it back under the limit, as an operator freeing memory
   * would; {@link #liftMemoryLimit()} removes the limit.
   */
  public void runOutOfMemory() {
    String filler = "x".repeat(16 * 1024);
    for (int i = 0; i < 128; i++) {
      admin().set("filler:" + i, filler);
    }
    admin().configSet("maxmemory-policy", "noeviction");
    admin().configSet("maxmemory", Long.toString(usedMemory() - 1024 * 1024));
    try {
      admin().set("filler:probe", "x");
    } catch (JedisDataException e) {
      if (e.getMessage().startsWith("OOM")) {
        return;
      }
      throw e;
    }
    throw new IllegalStateException("redis accepted a write above maxmemory");
  }

  /** Deletes what {@link #runOutOfMemory()} wrote, which puts the server 1 MB below its limit. */
  public void dropFillers() {
    for (String key : admin().keys("filler:*")) {
      admin().del(key);
    }
  }

  public void liftMemoryLimit() {
    admin().configSet("maxmemory", "0");
  }

  private long usedMemory() {
    return admin()
        .info("memory")
        .lines()
        .filter(l -> l.startsWith("used_memory:"))
        .mapToLong(l -> Long.parseLong(l.substring("used_memory:".length()).trim()))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Whether {@code call} waits in Redis (BLMPOP): RUNNABLE in a socket read, not parked, so look on
   * its stack.
   */
  static boolean isWaitingInRedis(BackgroundCall<?> call) {
    return call.isDone() || call.isParked() || isAwaitingWakeup(call);
  }

  /**
   * Whether {@code call} is inside the claimer's wait for a wakeup right now (not merely parked on
   * its way).
   */
  static boolean isAwaitingWakeup(BackgroundCall<?> call) {
    return isAwaitingWakeup(call.thread());
  }

  /**
   * Whether {@code thread} is inside the claimer's wait for a wakeup right now (its stack shows
   * it).
   */
  static boolean isAwaitingWakeup(Thread thread) {
    return Arrays.stream(thread.getStackTrace())
        .anyMatch(
            f ->
                f.getClassName().equals(Claimer.class.getName())
                    && f.getMethodName().equals("awaitWakeup"));
  }

  /**
   * How many clients {@code CLIENT LIST} shows blocked ({@code flags} has {@code b}) in {@code
   * command}, e.g. {@code "blmpop"}: proof from the server's side that a wait has reached Redis.
   */
  @SuppressWarnings("deprecation")
  long clientsBlockedIn(String command) {
    Object list = admin().sendCommand(Protocol.Command.CLIENT, "LIST");
    return new String((byte[]) list, StandardCharsets.UTF_8)
        .lines()
        .filter(l -> l.contains(" cmd=" + command + " "))
        .filter(l -> l.matches(".* flags=[a-zA-Z]*b[a-zA-Z]* .*"))
        .count();
  }

  Path dir() {
    return dir;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  static synchronized Path binary() {
    String env = System.getenv("REDIS_SERVER");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(java.io.File.pathSeparator)) {
        Path p = Path.of(d, "redis-server");
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    if (extracted == null) {
      extracted = extractBundled();
    }
    return extracted;
  }

  /** The static binary shipped in org.signal:embedded-redis, copied out once per JVM. */
  private static Path extractBundled() {
    String os =
        System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "darwin" : "linux";
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String cpu = arch.contains("aarch64") || arch.contains("arm64") ? "arm64" : "amd64";
    String resource = "/redis-server-7.0.15-" + os + "-" + cpu;
    try (InputStream in = TestRedis.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "no redis-server: set $REDIS_SERVER, put it on PATH, or keep "
                + "org.signal:embedded-redis (resource "
                + resource
                + ") on the test classpath");
      }
      Path dir = Files.createTempDirectory("dq-redis-bin-");
      Path bin = dir.resolve("redis-server");
      Files.copy(in, bin, StandardCopyOption.REPLACE_EXISTING);
      if (!bin.toFile().setExecutable(true)) {
        throw new IllegalStateException("cannot make " + bin + " executable");
      }
      return bin;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + resource, e);
    }
  }
}
