package dev.dq.app.metrics;

import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Serves {@code /metrics} (Prometheus text format) and {@code /health} (200 when healthy, else 503
 * naming the problem: broker unreachable, lease renewals failing) on one address. Any other path is
 * 404.
 */
public final class MetricsServer implements AutoCloseable {
  private final HTTPServer server;

  private MetricsServer(HTTPServer server) {
    this.server = server;
  }

  /**
   * Starts listening.
   *
   * @param port TCP port; 0 picks a free one (see {@link #port()})
   * @throws UncheckedIOException the address cannot be bound (in use, not local, no permission)
   */
  /**
   * @param problem what makes this process unhealthy now, or empty; called per {@code /health}
   *     request
   */
  public static MetricsServer start(
      String bind, int port, PrometheusRegistry registry, Supplier<Optional<String>> problem) {
    try {
      return new MetricsServer(
          HTTPServer.builder()
              .hostname(bind)
              .port(port)
              .registry(registry)
              .registerHealthHandler(false)
              .defaultHandler(exchange -> other(exchange, problem))
              .buildAndStart());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve metrics on " + bind + ":" + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }

  private static void other(HttpExchange exchange, Supplier<Optional<String>> problem)
      throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.equals("/health")) {
        Optional<String> trouble = problem.get();
        respond(
            exchange,
            trouble.isEmpty() ? 200 : 503,
            trouble.map(p -> "unavailable: " + p + "\n").orElse("ok: broker reachable\n"));
      } else {
        respond(exchange, 404, "not found; try /metrics or /health\n");
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
