package dev.dq.app.dashboard;

import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.adapter.redis.RedisKeys;
import dev.dq.core.task.Task;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import redis.clients.jedis.Jedis;

/**
 * A timing run for the dashboard's pages over HTTP (not a test, not run in CI; see BENCHMARKS.md):
 * fills queue {@code big} of the Redis at {@code port} with {@code tasks} ready tasks and {@code
 * queues - 1} other queues with 10 tasks each, serves the dashboard in this process on a free
 * loopback port, then times 50 GETs of each page and API answer after 5 warm-up calls.
 *
 * <p>With a fourth argument {@code DEAD}, also writes that many dead letters to queue {@code dead}
 * (one in 1,000 of type {@code mail}, one in 1,000 failed with a {@code SocketTimeoutException},
 * the rest {@code sms} with an {@code IOException}) and times its filtered pages. A fifth argument
 * gives each dead letter a payload of that many bytes (default 2), to time steps capped in bytes.
 *
 * <p>Usage: {@code DashboardReadMain PORT TASKS QUEUES [DEAD [PAYLOAD_BYTES]]}
 */
public final class DashboardReadMain {
  private static final int BATCH = 500;
  private static final int RUNS = 50;

  /** Writes dead letters ARGV[1]..ARGV[2] as the broker would, with the task JSON it writes. */
  private static final String FILL_DEAD =
      "for i = tonumber(ARGV[1]), tonumber(ARGV[2]) do\n"
          + "  local id = 'd' .. i\n"
          + "  local ty = (i % 1000 == 0) and 'mail' or 'sms'\n"
          + "  local err = (i % 1000 == 500) and 'java.net.SocketTimeoutException'"
          + " or 'java.io.IOException'\n"
          + "  redis.call('HSET', KEYS[1], id, '{\"v\":1,\"id\":\"' .. id .. '\",\"queue\":\"dead\","
          + "\"type\":\"' .. ty .. '\",\"payload_b64\":\"' .. ARGV[3] .. '\",\"headers\":{},"
          + "\"created_at_ms\":1700000000000,\"attempt\":3}')\n"
          + "  redis.call('HSET', KEYS[2], id, '{\"error_type\":\"' .. err .. '\","
          + "\"message\":\"connection reset by peer\",\"attempts\":3,"
          + "\"failed_at_ms\":1700000000000}')\n"
          + "  redis.call('ZADD', KEYS[3], redis.call('INCR', KEYS[4]), id)\n"
          + "end\n"
          + "return 1";

  private DashboardReadMain() {}

  public static void main(String[] args) throws Exception {
    String url = "redis://127.0.0.1:" + Integer.parseInt(args[0]);
    long tasks = Long.parseLong(args[1]);
    int queues = Integer.parseInt(args[2]);
    try (RedisBroker broker =
        RedisBroker.connect(
            RedisBrokerConfig.builder(url).capacityPerQueue((int) tasks + 1).build())) {
      long began = System.nanoTime();
      Instant now = Instant.now();
      List<Task> batch = new ArrayList<>(BATCH);
      for (long i = 0; i < tasks; i++) {
        batch.add(
            Task.builder("work").id("t" + i).queue("big").createdAt(now).payload("{}").build());
        if (batch.size() == BATCH || i == tasks - 1) {
          broker.enqueueAll(batch, Duration.ofSeconds(30));
          batch.clear();
        }
      }
      for (int q = 1; q < queues; q++) {
        for (int i = 0; i < 10; i++) {
          batch.add(
              Task.builder("work")
                  .queue(String.format(Locale.ROOT, "q%03d", q))
                  .createdAt(now)
                  .payload("{}")
                  .build());
        }
        broker.enqueueAll(batch, Duration.ofSeconds(30));
        batch.clear();
      }
      System.out.printf(
          Locale.ROOT,
          "filled %d + %d tasks in %d queues in %.1f s%n",
          tasks,
          (queues - 1) * 10,
          broker.queues().size(),
          (System.nanoTime() - began) / 1e9);
      long dead = args.length > 3 ? Long.parseLong(args[3]) : 0;
      int payloadBytes = args.length > 4 ? Integer.parseInt(args[4]) : 0;
      fillDead(Integer.parseInt(args[0]), dead, payloadBytes);
      try (DashboardServer server =
          new DashboardServer(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
              new DashboardData(broker, broker.deadLetterQueue(), InstantSource.system()),
              new DashboardActions(broker, broker.deadLetterQueue(), "bench"),
              new DashboardCron(broker),
              new Guard(Optional.empty(), new SecureRandom()),
              true)) {
        server.start();
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.port();
        long last = Math.max(0, tasks - 50);
        List<String> paths = new ArrayList<>();
        if (dead > 0) {
          paths.addAll(
              List.of(
                  "/api/queues/dead/dead?limit=50",
                  "/api/queues/dead/dead?type=mail&limit=50",
                  "/api/queues/dead/dead?error=timeout&limit=50",
                  "/api/queues/dead/dead?type=nomatch&limit=50&cursor=" + dead / 2,
                  "/queues/dead/dead?type=mail&error=TIMEOUT"));
        }
        paths.addAll(
            List.of(
                "/api/overview",
                "/",
                "/queues/big",
                "/queues/big?offset=" + tasks / 2,
                "/api/queues/big/tasks?offset=" + last + "&limit=50",
                "/api/queues/big/tasks?offset=" + tasks / 2 + "&limit=500",
                "/workers"));
        for (String path : paths) {
          time(http, base, path);
        }
      }
    }
  }

  private static void fillDead(int port, long dead, int payloadBytes) {
    if (dead == 0) {
      return;
    }
    long began = System.nanoTime();
    RedisKeys k = RedisKeys.of("dead");
    String payload =
        payloadBytes == 0 ? "e30=" : Base64.getEncoder().encodeToString(new byte[payloadBytes]);
    try (Jedis jedis = new Jedis("127.0.0.1", port)) {
      for (long from = 1; from <= dead; from += 50_000) {
        jedis.eval(
            FILL_DEAD,
            List.of(k.tasks(), k.failures(), k.dead(), k.deadSeq()),
            List.of(Long.toString(from), Long.toString(Math.min(dead, from + 49_999)), payload));
      }
    }
    System.out.printf(
        Locale.ROOT, "filled %d dead letters in %.1f s%n", dead, (System.nanoTime() - began) / 1e9);
  }

  private static void time(HttpClient http, String base, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).build();
    for (int i = 0; i < 5; i++) {
      check(http.send(request, HttpResponse.BodyHandlers.ofString()), path);
    }
    long[] nanos = new long[RUNS];
    int bytes = 0;
    for (int i = 0; i < RUNS; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      nanos[i] = System.nanoTime() - t0;
      check(r, path);
      bytes = r.body().length();
    }
    Arrays.sort(nanos);
    System.out.printf(
        Locale.ROOT,
        "%-50s median %7.2f ms  slowest %7.2f ms  (%d chars)%n",
        path,
        nanos[RUNS / 2] / 1e6,
        nanos[RUNS - 1] / 1e6,
        bytes);
  }

  private static void check(HttpResponse<String> r, String path) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
    }
  }
}
