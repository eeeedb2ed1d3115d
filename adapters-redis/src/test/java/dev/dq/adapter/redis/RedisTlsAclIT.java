package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import dev.dq.core.worker.TaskEvent;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code rediss://} with hostname verification against a redis-server that listens only with TLS
 * and knows one ACL user limited to {@code ~dq:*} (the default user is off). The CA and the server
 * certificate (for {@code localhost} only) are made at test time. Wrong password and wrong hostname
 * fail at once with a clear error, and no secret shows in exceptions, {@code toString} or logs
 * (captured at DEBUG, Jedis included). A redis-server without TLS support fails this test with a
 * message saying so; it is never skipped.
 */
final class RedisTlsAclIT {
  private static final Duration FAIL_FAST = Duration.ofSeconds(30);
  private static final Duration LONG_TIMEOUT = Duration.ofMinutes(2);
  private static final String PASSWORD = "pw-" + UUID.randomUUID();
  private static final String WRONG_PASSWORD = "wrong-" + UUID.randomUUID();

  static TestCertificates certs;
  static TestRedis redis;
  private ListAppender<ILoggingEvent> logs;
  private final Level[] levelsBefore = new Level[2];

  @BeforeAll
  static void startTlsRedis() throws Exception {
    certs = TestCertificates.create();
    redis =
        TestRedis.startTls(
            dir ->
                List.of(
                    "--appendonly",
                    "no",
                    "--tls-cert-file",
                    certs.serverCertPem().toString(),
                    "--tls-key-file",
                    certs.serverKeyPem().toString(),
                    "--tls-ca-cert-file",
                    certs.caPem().toString(),
                    "--tls-auth-clients",
                    "no",
                    "--user",
                    "default",
                    "off",
                    "--user",
                    "dq",
                    "on",
                    ">" + PASSWORD,
                    "~dq:*",
                    "&*",
                    "+@all",
                    "-@dangerous"));
    requireTls();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @BeforeEach
  void captureLogsAtDebug() {
    logs = new ListAppender<>();
    logs.start();
    Logger root = logger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Logger jedis = logger("redis.clients");
    levelsBefore[0] = root.getLevel();
    levelsBefore[1] = jedis.getLevel();
    root.setLevel(Level.DEBUG);
    jedis.setLevel(Level.DEBUG);
    root.addAppender(logs);
  }

  @AfterEach
  void noSecretInLogs() {
    Logger root = logger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAppender(logs);
    root.setLevel(levelsBefore[0]);
    logger("redis.clients").setLevel(levelsBefore[1]);
    List<ILoggingEvent> events;
    synchronized (logs) { // AppenderBase.doAppend holds this lock: an append under way ends first
      logs.stop();
      events = new ArrayList<>(logs.list);
    }
    for (ILoggingEvent e : events) {
      String text =
          e.getFormattedMessage()
              + (e.getThrowableProxy() == null
                  ? ""
                  : ThrowableProxyUtil.asString(e.getThrowableProxy()));
      assertNoSecret(text);
    }
  }

  @Test
  void rightUserAndPassword_localhost_enqueuesAndProcessesATask() throws Exception {
    RedisBrokerConfig config =
        config(
            "localhost",
            PASSWORD,
            RedisTrust.trustStore(certs.trustStore(), certs.trustStorePassword()));
    Set<String> acked = ConcurrentHashMap.newKeySet();
    try (RedisBroker broker = RedisBroker.connect(config)) {
      WorkerPool pool =
          WorkerPool.builder(broker)
              .config(
                  WorkerPoolConfig.builder().workers(2).leaseTime(Duration.ofSeconds(8)).build())
              .handler("work", task -> {})
              .listener(
                  event -> {
                    if (event instanceof TaskEvent.Succeeded s) {
                      acked.add(s.task().id().value());
                    }
                  })
              .build();
      pool.start();
      try {
        broker.enqueue(task("tls-1"), LONG_TIMEOUT);
        await().atMost(LONG_TIMEOUT).until(() -> acked.contains("tls-1"));
      } finally {
        pool.stop(Duration.ofSeconds(30));
      }
      assertThat(broker.queues()).contains(Task.DEFAULT_QUEUE);
      assertThat(broker.stats(Task.DEFAULT_QUEUE).inFlight()).isZero();
      assertNoSecret(config.toString() + broker);
    }
  }

  @Test
  void pemCaFile_trustsTheServer() throws Exception {
    try (RedisBroker broker =
        RedisBroker.connect(
            config("localhost", PASSWORD, RedisTrust.caCertificates(certs.caPem())))) {
      broker.enqueue(task("pem-1"), LONG_TIMEOUT);
      Lease lease =
          broker.dequeue(Task.DEFAULT_QUEUE, Duration.ofSeconds(30), LONG_TIMEOUT).orElseThrow();
      broker.ack(lease);
      assertThat(lease.task().id().value()).isEqualTo("pem-1");
    }
  }

  @Test
  void wrongPassword_failsFast_withAClearErrorWithoutThePassword() {
    try (RedisBroker broker =
        RedisBroker.connect(config("localhost", WRONG_PASSWORD, trustStore()))) {
      RedisAccessException enqueue =
          assertTimeoutPreemptively(
              FAIL_FAST,
              () ->
                  assertThrows(
                      RedisAccessException.class,
                      () -> broker.enqueue(task("never"), LONG_TIMEOUT)));
      RedisAccessException dequeue =
          assertTimeoutPreemptively(
              FAIL_FAST,
              () ->
                  assertThrows(
                      RedisAccessException.class,
                      () ->
                          broker.dequeue(
                              Task.DEFAULT_QUEUE, Duration.ofSeconds(30), LONG_TIMEOUT)));

      System.out.println("TLS-ACL wrong password -> " + enqueue.getMessage());
      assertThat(enqueue)
          .hasMessageContaining("refused the credentials")
          .hasMessageContaining("localhost:" + redis.port());
      assertNoSecret(everything(enqueue) + everything(dequeue) + broker);
    }
  }

  @Test
  void hostNotInCertificate_failsFast_withATlsErrorWithoutThePassword() {
    try (RedisBroker broker = RedisBroker.connect(config("127.0.0.1", PASSWORD, trustStore()))) {
      RedisAccessException e =
          assertTimeoutPreemptively(
              FAIL_FAST,
              () ->
                  assertThrows(
                      RedisAccessException.class,
                      () -> broker.enqueue(task("never"), LONG_TIMEOUT)));

      System.out.println("TLS-ACL host not in certificate -> " + e.getMessage());
      assertThat(e)
          .hasMessageContaining("TLS")
          .hasMessageContaining("certificate")
          .hasMessageContaining("127.0.0.1:" + redis.port());
      assertNoSecret(everything(e));
    }
  }

  @Test
  void noConfiguredTrust_usesTheJvmDefault_whichDoesNotKnowTheTestCa() {
    RedisBrokerConfig config = RedisBrokerConfig.builder(url("localhost", PASSWORD)).build();
    try (RedisBroker broker = RedisBroker.connect(config)) {
      RedisAccessException e =
          assertTimeoutPreemptively(
              FAIL_FAST,
              () ->
                  assertThrows(
                      RedisAccessException.class,
                      () -> broker.enqueue(task("never"), LONG_TIMEOUT)));

      assertThat(e).hasMessageContaining("TLS");
      assertNoSecret(everything(e));
    }
  }

  @Test
  void trustSettings_neverShowTheirPassword() {
    RedisTrust trust = trustStore();
    RedisBrokerConfig config = config("localhost", PASSWORD, trust);

    assertThat(trust.toString() + config)
        .doesNotContain(certs.trustStorePassword())
        .contains("truststore.p12");
    assertNoSecret(config.toString());
    assertThatThrownBy(() -> RedisBrokerConfig.builder("redis://localhost:1").trust(trust))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rediss://");
  }

  private static RedisBrokerConfig config(String host, String password, RedisTrust trust) {
    return RedisBrokerConfig.builder(url(host, password))
        .trust(trust)
        .blockTimeout(Duration.ofMillis(500))
        .build();
  }

  private static String url(String host, String password) {
    return "rediss://dq:" + password + "@" + host + ":" + redis.port();
  }

  private static RedisTrust trustStore() {
    return RedisTrust.trustStore(certs.trustStore(), certs.trustStorePassword());
  }

  private static Task task(String id) {
    return Task.builder("work").id(id).payload("p").createdAt(Instant.EPOCH).build();
  }

  private static void assertNoSecret(String text) {
    assertThat(text)
        .doesNotContain(PASSWORD)
        .doesNotContain(WRONG_PASSWORD)
        .doesNotContain(certs.trustStorePassword());
  }

  /** Message, causes and stack trace: what a log line with this exception would show. */
  private static String everything(Throwable e) {
    StringWriter out = new StringWriter();
    e.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  private static Logger logger(String name) {
    return (Logger) LoggerFactory.getLogger(name);
  }

  /**
   * Fails (never skips) when the redis-server in use does not complete a TLS handshake on its TLS
   * port.
   */
  private static void requireTls() throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(certs.trustStore())) {
      store.load(in, certs.trustStorePassword().toCharArray());
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("localhost", redis.port())) {
      SSLParameters params = socket.getSSLParameters();
      params.setEndpointIdentificationAlgorithm("HTTPS");
      socket.setSSLParameters(params);
      socket.setSoTimeout(10_000);
      socket.startHandshake();
    } catch (java.io.IOException e) {
      fail(
          "redis-server "
              + TestRedis.binary()
              + " did not complete a TLS handshake on --tls-port "
              + redis.port()
              + " ("
              + e
              + "). It needs TLS support (Debian's redis-server has it; .ci/run installs it): install it or"
              + " point $REDIS_SERVER at a TLS-capable build. Server log:\n"
              + redis.log(),
          e);
    }
  }
}
