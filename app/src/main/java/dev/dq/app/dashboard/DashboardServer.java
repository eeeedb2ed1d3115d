package dev.dq.app.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dq.app.config.BadSettingException;
import dev.dq.app.config.SettingResolver;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.port.DeadLetterFilter;
import dev.dq.core.port.DeadLetterMark;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.InvalidDeadLetterQueryException;
import dev.dq.core.port.TaskNotFoundException;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Names;
import dev.dq.core.task.TaskId;
import dev.dq.core.task.TaskQueueException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's HTTP server (the JDK's): routes each request to a page, an API answer or an
 * action, after the {@link Guard} checks. Paths: {@code /}, {@code /workers}, {@code /queues/Q},
 * {@code /queues/Q/tasks/ID}, {@code /queues/Q/dead}, {@code /queues/Q/dead/ID}, the same under
 * {@code /api} as JSON, {@code /limits}, and POST actions (see {@link #routes}) under a page path
 * as forms and under {@code /api} as JSON.
 */
final class DashboardServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DashboardServer.class);
  private static final Logger audit = LoggerFactory.getLogger("dev.dq.dashboard.audit");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_FORM = 4096;
  private static final int DEFAULT_LIMIT = 50;

  /** No queue holds more; a larger offset would only make the broker count to it. */
  static final long MAX_OFFSET = 1_000_000_000_000L;

  /** The longest a request may take to arrive, and an answer to leave. */
  static final Duration EXCHANGE_TIME = Duration.ofSeconds(30);

  static {
    // The JDK server writes a response's headers and body apart; with Nagle's algorithm on, the
    // client's delayed ACK adds about 40 ms to every answer. Read once, when the first server is
    // made; an explicit -D setting wins (for every property below).
    defaultProperty("sun.net.httpserver.nodelay", "true");
    // Without limits a few slow clients (a request or an answer trickling in) hold the pool's
    // threads forever; seconds.
    defaultProperty("sun.net.httpserver.maxReqTime", Long.toString(EXCHANGE_TIME.toSeconds()));
    defaultProperty("sun.net.httpserver.maxRspTime", Long.toString(EXCHANGE_TIME.toSeconds()));
  }

  private static void defaultProperty(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  private final DashboardData data;
  private final DashboardCron cron;
  private final DashboardLimits limits;
  private final DashboardTaskControls controls;
  private final DashboardPages pages;
  private final Guard guard;
  private final boolean readOnly;
  private final AllowedHosts hosts;
  private final ActionRoutes actionRoutes;
  private final HttpServer http;
  private final ExecutorService executor;

  DashboardServer(
      InetSocketAddress address,
      DashboardData data,
      DashboardActions actions,
      DashboardCron cron,
      Guard guard,
      boolean readOnly)
      throws IOException {
    this(address, data, actions, cron, guard, readOnly, List.of());
  }

  /**
   * @param allowedHosts host names besides loopback and the bind address that requests may name in
   *     {@code Host}
   */
  DashboardServer(
      InetSocketAddress address,
      DashboardData data,
      DashboardActions actions,
      DashboardCron cron,
      Guard guard,
      boolean readOnly,
      List<String> allowedHosts)
      throws IOException {
    this.hosts = new AllowedHosts(address.getAddress(), allowedHosts);
    this.data = data;
    this.cron = cron;
    this.limits = new DashboardLimits(data.broker());
    this.controls = new DashboardTaskControls(data.broker());
    this.actionRoutes = routes(actions, cron, limits, controls);
    this.guard = guard;
    this.readOnly = readOnly;
    this.pages = new DashboardPages(guard.csrf(), readOnly);
    this.http = HttpServer.create(address, 64);
    this.executor = Executors.newFixedThreadPool(4);
    http.setExecutor(executor);
    http.createContext("/", this::handle);
  }

  void start() {
    http.start();
  }

  /** The port it listens on (useful with port 0). */
  int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      Guard.secure(ex.getResponseHeaders());
      String path = ex.getRequestURI().getRawPath();
      String method = ex.getRequestMethod();
      try {
        if (!hosts.allows(ex.getRequestHeaders().getFirst("Host"), port())) {
          // DNS rebinding: a foreign name resolved to this machine is not this dashboard.
          reply(ex, path, 421, "Misdirected request", "unknown Host; see --allowed-host");
          return;
        }
        route(ex, method, path);
      } catch (NotFound e) {
        reply(ex, path, 404, "Not found", e.getMessage());
      } catch (TaskNotFoundException e) {
        reply(ex, path, 404, "Not found", e.getMessage());
      } catch (InvalidTaskException
          | InvalidDeadLetterQueryException
          | IllegalArgumentException
          | BadSettingException e) {
        reply(ex, path, 400, "Bad request", e.getMessage());
      } catch (DashboardData.Unsupported e) {
        reply(ex, path, 501, "Not supported", e.getMessage());
      } catch (TaskQueueException e) {
        log.warn("dashboard request {} {} failed", method, path, e);
        reply(ex, path, 503, "Broker error", e.getMessage());
      } catch (RuntimeException e) {
        // A bug: the log has the details, the answer none (they may name internals).
        log.error("dashboard request {} {} failed", method, path, e);
        reply(ex, path, 500, "Internal error", "internal error; see the dashboard's log");
      }
    } catch (RuntimeException e) {
      log.warn("dashboard request failed", e);
    }
  }

  private void route(HttpExchange ex, String method, String path) throws IOException {
    if (path.equals("/static/dq.css") && method.equals("GET")) {
      css(ex);
      return;
    }
    if (path.equals("/login")) {
      login(ex, method);
      return;
    }
    boolean api = path.equals("/api") || path.startsWith("/api/");
    if (api
        ? !guard.apiAllowed(ex.getRequestHeaders())
        : !guard.pageAllowed(ex.getRequestHeaders())) {
      if (api) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        send(ex, 401, "application/json", json(Map.of("error", "a bearer token is required")));
      } else {
        send(ex, 401, "text/html; charset=utf-8", pages.login(false));
      }
      return;
    }
    List<String> parts = segments(api ? path.substring(4) : path);
    if (method.equals("POST")) {
      action(ex, parts, api);
      return;
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      ex.getResponseHeaders().set("Allow", "GET, POST");
      reply(ex, path, 405, "Method not allowed", method + " is not allowed here");
      return;
    }
    Map<String, String> q = query(ex.getRequestURI().getRawQuery());
    if (api) {
      send(ex, 200, "application/json", json(get(parts, q)));
    } else {
      send(ex, 200, "text/html; charset=utf-8", page(parts, q));
    }
  }

  /** The API answer of a GET. */
  private Object get(List<String> p, Map<String, String> q) {
    if (p.equals(List.of("overview"))) {
      return data.overview();
    }
    if (p.equals(List.of("workers"))) {
      return data.workers();
    }
    if (p.equals(List.of("cron"))) {
      return cron.list();
    }
    if (p.equals(List.of("limits"))) {
      return limits.list();
    }
    if (p.size() == 3 && p.get(0).equals("cron")) {
      return cron.show(queue(p.get(1)), scheduleName(p.get(2)));
    }
    if (p.size() == 3 && p.get(0).equals("queues") && p.get(2).equals("retention")) {
      return data.retention(queue(p.get(1)));
    }
    if (p.size() == 3 && p.get(0).equals("queues") && p.get(2).equals("pause")) {
      return data.pause(queue(p.get(1)));
    }
    if (p.size() == 3 && p.get(0).equals("queues") && p.get(2).equals("tasks")) {
      return queueAnswer(queue(p.get(1)), q);
    }
    if (p.size() == 4 && p.get(0).equals("queues") && p.get(2).equals("tasks")) {
      String queue = queue(p.get(1));
      return data.task(queue, new TaskId(p.get(3)))
          .orElseThrow(() -> new NotFound("no task " + p.get(3) + " in queue " + queue));
    }
    if (p.size() == 3 && p.get(0).equals("queues") && p.get(2).equals("dead")) {
      return deadLetters(queue(p.get(1)), q);
    }
    if (p.size() == 4 && p.get(0).equals("queues") && p.get(2).equals("dead")) {
      String queue = queue(p.get(1));
      return data.deadLetter(queue, new TaskId(p.get(3)))
          .orElseThrow(() -> new NotFound("no dead letter " + p.get(3) + " in queue " + queue));
    }
    throw new NotFound("no such API route");
  }

  /**
   * By offset when one is given (unfiltered), else one bounded step of a filtered listing from
   * {@code cursor}.
   */
  private Object deadLetters(String queue, Map<String, String> q) {
    DeadLetterFilter filter = DeadLetterFilter.of(q.get("type"), q.get("error"));
    String cursor = q.getOrDefault("cursor", DeadLetterQueue.FIRST);
    long offset = offset(q);
    if (offset == 0) {
      return data.deadLetters(queue, filter, cursor, limit(q));
    }
    if (!filter.matchesAll() || !cursor.isEmpty()) {
      throw new IllegalArgumentException("offset does not go with type, error or cursor");
    }
    return data.deadLetters(queue, (int) Math.min(offset, Integer.MAX_VALUE), limit(q));
  }

  private Map<String, Object> retentionOrNone(String queue) {
    try {
      return data.retention(queue);
    } catch (DashboardData.Unsupported e) {
      return Map.of();
    }
  }

  private String page(List<String> p, Map<String, String> q) {
    if (p.isEmpty()) {
      return pages.overview(data.overview());
    }
    if (p.equals(List.of("workers"))) {
      return pages.workers(data.workers());
    }
    if (p.equals(List.of("cron"))) {
      return pages.cron(cron.list());
    }
    if (p.size() == 3 && p.get(0).equals("cron")) {
      return pages.schedule(cron.show(queue(p.get(1)), scheduleName(p.get(2))));
    }
    if ((p.size() == 2 || p.size() == 3 && p.get(2).equals("tasks")) && p.get(0).equals("queues")) {
      String queue = queue(p.get(1));
      return pages.queue(queue, data.pause(queue), retentionOrNone(queue), queueAnswer(queue, q));
    }
    if (p.equals(List.of("limits"))) {
      return pages.limits(limits.list());
    }
    if (p.size() < 3
        || !p.get(0).equals("queues")
        || !List.of("tasks", "dead").contains(p.get(2))) {
      throw new NotFound("no such page");
    }
    Object answer = get(p, q);
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) answer;
    if (p.size() == 3) {
      return pages.deadLetters(queue(p.get(1)), m);
    }
    return p.get(2).equals("tasks") ? pages.task(m) : pages.deadLetter(m);
  }

  /** One page of a queue's tasks, with the limits that govern them. */
  private Map<String, Object> queueAnswer(String queue, Map<String, String> q) {
    Map<String, Object> answer =
        new java.util.LinkedHashMap<>(data.tasks(queue, state(q), offset(q), limit(q)));
    answer.put("limits", limits.of(queue));
    return answer;
  }

  /**
   * Every action, for the form POST and the API POST alike: the path (under {@code /} or {@code
   * /api}), the page the browser returns to, the operation.
   */
  private static ActionRoutes routes(
      DashboardActions a,
      DashboardCron cron,
      DashboardLimits limits,
      DashboardTaskControls controls) {
    return new ActionRoutes()
        .add(
            "queues/{queue}/pause",
            "/queues/{queue}",
            c -> a.pause(c.at("queue"), c.field("for"), c.field("reason"), c.remote()))
        .add("queues/{queue}/resume", "/queues/{queue}", c -> a.resume(c.at("queue"), c.remote()))
        .add(
            "queues/{queue}/retention",
            "/queues/{queue}",
            c -> a.retention(c.at("queue"), c.fields(), c.remote()))
        .add(
            "queues/{queue}/tasks/{id}/cancel",
            "/queues/{queue}/tasks/{id}",
            c -> a.cancel(c.at("queue"), new TaskId(c.at("id")), c.remote()))
        .add(
            "queues/{queue}/tasks/{id}/run-now",
            "/queues/{queue}/tasks/{id}",
            c -> controls.runNow(c.at("queue"), new TaskId(c.at("id")), c.remote()))
        .add(
            "queues/{queue}/tasks/{id}/delete",
            "/queues/{queue}",
            c -> controls.delete(c.at("queue"), new TaskId(c.at("id")), c.remote()))
        .add("limits/set", "/limits", c -> limits.set(c.fields(), c.remote()))
        .add("limits/remove", "/limits", c -> limits.remove(c.fields(), c.remote()))
        .add(
            "queues/{queue}/dead/{id}/requeue",
            "/queues/{queue}/dead",
            c -> a.requeue(c.at("queue"), new TaskId(c.at("id")), c.remote()))
        .add(
            "queues/{queue}/dead/{id}/delete",
            "/queues/{queue}/dead",
            c -> a.delete(c.at("queue"), new TaskId(c.at("id")), c.remote()))
        .add(
            "queues/{queue}/dead/requeue-all",
            "/queues/{queue}/dead",
            DashboardPages::filterQuery,
            c -> bulkDead(a, c, false))
        .add(
            "queues/{queue}/dead/purge",
            "/queues/{queue}/dead",
            DashboardPages::filterQuery,
            c -> bulkDead(a, c, true))
        .add("cron/add", "/cron", c -> cron.add(c.fields(), c.remote()))
        .add(
            "cron/{queue}/{schedule}/trigger",
            "/cron",
            c -> cron.trigger(c.at("queue"), c.at("schedule"), c.remote()))
        .add(
            "cron/{queue}/{schedule}/pause",
            "/cron",
            c -> cron.pause(c.at("queue"), c.at("schedule"), c.remote()))
        .add(
            "cron/{queue}/{schedule}/resume",
            "/cron",
            c -> cron.resume(c.at("queue"), c.at("schedule"), c.remote()))
        .add(
            "cron/{queue}/{schedule}/remove",
            "/cron",
            c -> cron.remove(c.at("queue"), c.at("schedule"), c.remote()));
  }

  /**
   * An action: a form POST from a page (CSRF token, same origin; answered with a redirect) or an
   * API POST (bearer token already checked, JSON content type, no cross-site fetch; answered with
   * JSON). The same route and operation either way.
   */
  private void action(HttpExchange ex, List<String> p, boolean api) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    String remote = ex.getRemoteAddress().getAddress().getHostAddress();
    String refused = null;
    Map<String, String> fields = Map.of();
    if (readOnly) {
      refused = "this dashboard is read-only";
    } else if (api) {
      refused = Guard.apiActionRefusal(ex.getRequestHeaders()).orElse(null);
      if (refused == null) {
        fields = jsonFields(readForm(ex));
      }
    } else {
      Map<String, String> form = query(readForm(ex));
      if (!Guard.sameOrigin(ex.getRequestHeaders())) {
        refused = "cross-site request refused";
      } else if (!guard.csrfMatches(form.get("csrf"))) {
        refused = "missing or wrong CSRF token";
      }
      form.remove("csrf");
      fields = form;
    }
    if (refused != null) {
      logUnacted(p, path, remote, "refused", refused);
      reply(ex, path, 403, "Forbidden", refused);
      return;
    }
    ActionRoutes.Match match =
        actionRoutes.match(p).orElseThrow(() -> new NotFound("no such action"));
    String done;
    try {
      done = match.run(fields, remote);
    } catch (RuntimeException e) {
      logUnacted(p, path, remote, "error", e.getClass().getSimpleName());
      throw e;
    }
    if (api) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("result", done);
      answer.put("action", match.name());
      answer.putAll(match.path());
      send(ex, 200, "application/json", json(answer));
      return;
    }
    // Post/redirect/get: a reload does not repeat the action.
    String back = match.back(fields);
    ex.getResponseHeaders()
        .set(
            "Location",
            back + (back.contains("?") ? "&" : "?") + "done=" + DashboardPages.url(done));
    send(ex, 303, "text/plain; charset=utf-8", done);
  }

  /** One audit line for an action that did not happen (the actions log the ones that did). */
  private static void logUnacted(
      List<String> p, String path, String remote, String result, String why) {
    audit.warn(
        "action={} path={} remote={} result={} reason=\"{}\"",
        p.isEmpty() ? "" : p.get(p.size() - 1),
        path,
        remote,
        result,
        why);
  }

  /** The members of a JSON object body as text; an empty body is no members. */
  static Map<String, String> jsonFields(String body) {
    if (body.isBlank()) {
      return Map.of();
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the body is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    Map<String, String> fields = new HashMap<>();
    node.fields()
        .forEachRemaining(
            e -> {
              JsonNode v = e.getValue();
              if (!v.isValueNode()) {
                throw new IllegalArgumentException(
                    "member "
                        + SettingResolver.printable(e.getKey())
                        + " must be a string, number or boolean");
              }
              if (!v.isNull()) {
                fields.put(e.getKey(), v.asText());
              }
            });
    return fields;
  }

  /**
   * Requeue all or purge the matches of the fields' filter ({@code type}, {@code error}) that were
   * dead at the fields' {@code mark}.
   */
  private static String bulkDead(DashboardActions a, ActionRoutes.Call c, boolean purge) {
    String queue = c.at("queue");
    DeadLetterFilter filter = DeadLetterFilter.of(c.fields().get("type"), c.fields().get("error"));
    DeadLetterMark mark = DeadLetterMark.parse(c.fields().get("mark"), queue);
    return purge
        ? a.purge(queue, filter, mark, c.remote())
        : a.requeueAll(queue, filter, mark, c.remote());
  }

  private static String scheduleName(String raw) {
    Names.check("schedule name", raw);
    return raw;
  }

  private void login(HttpExchange ex, String method) throws IOException {
    if (!guard.tokenRequired()) {
      redirectHome(ex);
      return;
    }
    // Never a token in the URL (history, logs, Referer): a GET only shows the form.
    if (!method.equals("POST")) {
      send(ex, 200, "text/html; charset=utf-8", pages.login(false));
      return;
    }
    if (!Guard.sameOrigin(ex.getRequestHeaders())) {
      send(
          ex,
          403,
          "text/html; charset=utf-8",
          pages.message("Forbidden", "cross-site request refused"));
      return;
    }
    String offered = query(readForm(ex)).get("token");
    if (!guard.tokenMatches(offered)) {
      send(ex, 401, "text/html; charset=utf-8", pages.login(true));
      return;
    }
    ex.getResponseHeaders().add("Set-Cookie", guard.sessionCookie());
    redirectHome(ex);
  }

  private static void redirectHome(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().set("Location", "/");
    send(ex, 303, "text/plain; charset=utf-8", "see /");
  }

  private void reply(HttpExchange ex, String path, int status, String title, String message)
      throws IOException {
    String text = message == null ? title : message;
    if (path.startsWith("/api")) {
      send(ex, status, "application/json", json(Map.of("error", text)));
    } else {
      send(ex, status, "text/html; charset=utf-8", pages.message(title, text));
    }
  }

  private static void css(HttpExchange ex) throws IOException {
    try (InputStream in = DashboardServer.class.getResourceAsStream("dq.css")) {
      if (in == null) {
        throw new NotFound("no stylesheet");
      }
      send(
          ex,
          200,
          "text/css; charset=utf-8",
          new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  static void send(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static String readForm(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readNBytes(MAX_FORM + 1);
    if (body.length > MAX_FORM) {
      throw new IllegalArgumentException("form too large");
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> segments(String rawPath) {
    return java.util.Arrays.stream(rawPath.split("/"))
        .filter(s -> !s.isEmpty())
        .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
        .toList();
  }

  static Map<String, String> query(String raw) {
    Map<String, String> m = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      m.putIfAbsent(k, v);
    }
    return m;
  }

  private static String queue(String raw) {
    if (!SettingResolver.isName(raw)) {
      throw new IllegalArgumentException(
          "not a queue name: \"" + SettingResolver.printable(raw) + "\"");
    }
    return raw;
  }

  private static TaskState state(Map<String, String> q) {
    String s = q.getOrDefault("state", "ready");
    return switch (s) {
      case "ready", "active", "delayed", "retrying", "succeeded", "cancelled" ->
          TaskState.valueOf(s.toUpperCase(Locale.ROOT));
      default ->
          throw new IllegalArgumentException(
              "state must be one of ready, active, delayed," + " retrying, succeeded, cancelled");
    };
  }

  static long offset(Map<String, String> q) {
    long v = number(q, "offset", 0);
    if (v < 0 || v > MAX_OFFSET) {
      throw new IllegalArgumentException("offset must be 0.." + MAX_OFFSET);
    }
    return v;
  }

  static int limit(Map<String, String> q) {
    long v = number(q, "limit", DEFAULT_LIMIT);
    if (v < 1 || v > DashboardData.MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + DashboardData.MAX_LIMIT);
    }
    return (int) v;
  }

  private static long number(Map<String, String> q, String key, long fallback) {
    String v = q.get(key);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number");
    }
  }

  /** No page, route or entry at this path. */
  static final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFound(String message) {
      super(message);
    }
  }
}
