package dev.dq.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.Failure;
import dev.dq.core.schedule.FireOutcome;
import dev.dq.core.schedule.Schedule;
import dev.dq.core.schedule.ScheduleSpec;
import dev.dq.core.task.Task;
import dev.dq.cron.Cron;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's HTTP behaviour against an in-memory broker: the API's JSON, paging limits,
 * escaping, the security headers, the CSRF and origin checks, read-only and the token.
 */
final class DashboardServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String XSS = "<script>alert(1)</script>";

  private final InstantSource clock = InstantSource.system();
  private final InMemoryBroker broker = InMemoryBroker.builder().clock(clock).build();
  private final DeadLetterQueue dead = broker.deadLetterQueue();
  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private DashboardServer server;
  private Guard guard;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    broker.close();
  }

  private void start(Optional<String> token, boolean readOnly) throws Exception {
    start(new DashboardData(broker, dead, clock), token, readOnly);
  }

  private void start(DashboardData data, Optional<String> token, boolean readOnly)
      throws Exception {
    guard = new Guard(token, new SecureRandom());
    server =
        new DashboardServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            data,
            new DashboardActions(broker, dead, "test"),
            new DashboardCron(broker),
            guard,
            readOnly);
    server.start();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String form, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded");
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(
        b.POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Task enqueue(String queue, String payload) throws Exception {
    Task t =
        Task.builder("echo")
            .queue(queue)
            .payload(payload)
            .header("h", "<b>x</b>")
            .createdAt(clock.instant())
            .build();
    broker.enqueue(t, Duration.ofSeconds(1));
    return t;
  }

  private Task killed(String queue, String message) {
    Task t = Task.builder("echo").queue(queue).payload(XSS).createdAt(clock.instant()).build();
    dead.add(
        new DeadLetter(
            t, new Failure("java.lang.IllegalStateException", message, 3, clock.instant())));
    return t;
  }

  private Task killedAs(String queue, String type, String errorType, String message) {
    Task t = Task.builder(type).queue(queue).createdAt(clock.instant()).build();
    dead.add(new DeadLetter(t, new Failure(errorType, message, 1, clock.instant())));
    return t;
  }

  /** The value of the first hidden input {@code name} of a page. */
  private static String hidden(String page, String name) {
    var m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(page);
    assertThat(m.find()).as("hidden input %s", name).isTrue();
    return URLEncoder.encode(m.group(1), StandardCharsets.UTF_8);
  }

  @Test
  void overview_countsEveryQueue_andHasAnHourOfMinutes() throws Exception {
    start(Optional.empty(), false);
    enqueue("alpha", "a");
    enqueue("alpha", "b");
    killed("beta", "boom");

    HttpResponse<String> r = get("/api/overview");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = JSON.readTree(r.body());
    JsonNode alpha = find(body.get("queues"), "alpha");
    assertThat(alpha.get("ready").asLong()).isEqualTo(2);
    assertThat(alpha.get("active").asLong()).isZero();
    assertThat(alpha.get("dead").asLong()).isZero();
    assertThat(alpha.get("paused").asBoolean()).isFalse();
    assertThat(find(body.get("queues"), "beta").get("dead").asLong()).isEqualTo(1);
    assertThat(find(body.get("queues"), "default")).isNotNull();
    assertThat(body.get("throughput")).hasSize(60);
    assertThat(body.get("throughput").get(59).has("processed")).isTrue();
  }

  private static JsonNode find(JsonNode queues, String name) {
    for (JsonNode q : queues) {
      if (q.get("queue").asText().equals(name)) {
        return q;
      }
    }
    return null;
  }

  @Test
  void tasks_arePaged_andTheLimitIsCapped() throws Exception {
    start(Optional.empty(), false);
    for (int i = 0; i < 5; i++) {
      enqueue("q", "p" + i);
    }

    JsonNode page = JSON.readTree(get("/api/queues/q/tasks?state=ready&offset=1&limit=2").body());

    assertThat(page.get("total").asLong()).isEqualTo(5);
    assertThat(page.get("tasks")).hasSize(2);
    assertThat(page.get("tasks").get(0).has("payload")).isFalse();
    assertThat(get("/api/queues/q/tasks?limit=501").statusCode()).isEqualTo(400);
    assertThat(get("/api/queues/q/tasks?offset=-1").statusCode()).isEqualTo(400);
    assertThat(get("/api/queues/q/tasks?state=bogus").statusCode()).isEqualTo(400);
    assertThat(get("/api/queues/bad%2Fname/tasks").statusCode()).isEqualTo(400);
    assertThat(get("/api/nothing").statusCode()).isEqualTo(404);
    assertThat(get("/queues").statusCode()).isEqualTo(404);
  }

  @Test
  void oneTask_hasItsPayloadAndHeaders_andAnUnknownOneIs404() throws Exception {
    start(Optional.empty(), false);
    Task t = enqueue("q", XSS);

    JsonNode task = JSON.readTree(get("/api/queues/q/tasks/" + t.id().value()).body());

    assertThat(task.get("state").asText()).isEqualTo("ready");
    assertThat(task.get("payload").asText()).isEqualTo(XSS);
    assertThat(task.get("payload_bytes").asInt()).isEqualTo(XSS.length());
    assertThat(task.get("headers").get("h").asText()).isEqualTo("<b>x</b>");
    assertThat(get("/api/queues/q/tasks/no-such-task").statusCode()).isEqualTo(404);
  }

  @Test
  void deadLetters_listAndShow() throws Exception {
    start(Optional.empty(), false);
    Task d = killed("q", "boom");

    JsonNode page = JSON.readTree(get("/api/queues/q/dead?limit=10").body());
    JsonNode one = JSON.readTree(get("/api/queues/q/dead/" + d.id().value()).body());

    assertThat(page.get("total").asLong()).isEqualTo(1);
    assertThat(page.get("dead_letters").get(0).get("message").asText()).isEqualTo("boom");
    assertThat(one.get("payload").asText()).isEqualTo(XSS);
  }

  @Test
  void pages_escapeBrokerStrings_andCarryTheSecurityHeaders() throws Exception {
    start(Optional.empty(), false);
    Task t = enqueue("q", XSS);
    Task d = killed("q", "<img src=x onerror=alert(2)>");

    HttpResponse<String> task = get("/queues/q/tasks/" + t.id().value());
    HttpResponse<String> deadPage = get("/queues/q/dead");

    assertThat(task.statusCode()).isEqualTo(200);
    assertThat(task.body())
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("&lt;b&gt;x&lt;/b&gt;")
        .doesNotContain("<script")
        .doesNotContain("<b>x");
    assertThat(deadPage.body()).contains("&lt;img src=x").doesNotContain("<img");
    assertThat(deadPage.body()).contains(d.id().value());
    for (HttpResponse<String> r : java.util.List.of(task, deadPage, get("/api/overview"))) {
      assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(Guard.CSP);
      assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("same-origin");
      assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }
    assertThat(get("/").body()).contains("<svg id=\"chart\"").contains("href=\"/queues/q\"");
    assertThat(get("/static/dq.css").headers().firstValue("Content-Type"))
        .hasValue("text/css; charset=utf-8");
  }

  @Test
  void action_withoutCsrfToken_orFromAnotherOrigin_isRefused_andChangesNothing() throws Exception {
    start(Optional.empty(), false);
    String self = "http://127.0.0.1:" + server.port();

    HttpResponse<String> noToken = post("/queues/q/pause", "", "Origin", self);
    HttpResponse<String> wrongToken = post("/queues/q/pause", "csrf=abc", "Origin", self);
    HttpResponse<String> foreign =
        post("/queues/q/pause", "csrf=" + guard.csrf(), "Origin", "http://evil.example");
    HttpResponse<String> crossSite =
        post("/queues/q/pause", "csrf=" + guard.csrf(), "Sec-Fetch-Site", "cross-site");
    HttpResponse<String> noOrigin = post("/queues/q/pause", "csrf=" + guard.csrf());

    for (HttpResponse<String> r :
        java.util.List.of(noToken, wrongToken, foreign, crossSite, noOrigin)) {
      assertThat(r.statusCode()).isEqualTo(403);
    }
    assertThat(broker.pauseOf("q")).isEmpty();
  }

  @Test
  void actions_withTokenAndSameOrigin_act() throws Exception {
    start(Optional.empty(), false);
    Task t = enqueue("q", "x");
    Task d = killed("q", "boom");
    String form = "csrf=" + guard.csrf();
    String[] same = {"Sec-Fetch-Site", "same-origin"};

    HttpResponse<String> paused = post("/queues/q/pause", form, same);
    assertThat(paused.statusCode()).isEqualTo(303);
    assertThat(paused.headers().firstValue("Location")).get().asString().startsWith("/queues/q?");
    assertThat(broker.pauseOf("q")).isPresent();
    assertThat(get("/queues/q").body()).contains("Paused").contains("/queues/q/resume");

    assertThat(post("/queues/q/resume", form, same).statusCode()).isEqualTo(303);
    assertThat(broker.pauseOf("q")).isEmpty();

    assertThat(post("/queues/q/tasks/" + t.id().value() + "/cancel", form, same).statusCode())
        .isEqualTo(303);
    assertThat(broker.stats("q").ready()).isZero();

    assertThat(post("/queues/q/dead/" + d.id().value() + "/requeue", form, same).statusCode())
        .isEqualTo(303);
    assertThat(dead.size("q")).isZero();
    assertThat(broker.stats("q").ready()).isEqualTo(1);

    Task d2 = killed("q", "again");
    assertThat(post("/queues/q/dead/" + d2.id().value() + "/delete", form, same).statusCode())
        .isEqualTo(303);
    assertThat(dead.size("q")).isZero();
    assertThat(post("/queues/q/dead/" + d2.id().value() + "/requeue", form, same).statusCode())
        .isEqualTo(404);
  }

  @Test
  void deadLetters_filteredApi_pagesByCursorWithMark() throws Exception {
    start(Optional.empty(), false);
    Task m1 = killedAs("q", "mail", "java.net.SocketTimeoutException", "slow");
    killedAs("q", "sms", "java.net.SocketTimeoutException", "slow");
    killedAs("q", "mail", "java.io.IOException", "closed");
    Task m3 = killedAs("q", "mail", "E", "read TIMEOUT");

    JsonNode first =
        JSON.readTree(get("/api/queues/q/dead?type=mail&error=timeout&limit=1").body());
    JsonNode rest =
        JSON.readTree(
            get("/api/queues/q/dead?type=mail&error=timeout&limit=1&cursor="
                    + first.get("next_cursor").asText())
                .body());

    assertThat(first.get("dead_letters")).hasSize(1);
    assertThat(first.get("dead_letters").get(0).get("id").asText()).isEqualTo(m1.id().value());
    assertThat(first.get("mark").asText()).isEqualTo(dead.mark("q").token());
    assertThat(first.get("total").asLong()).isEqualTo(4);
    assertThat(rest.get("dead_letters")).hasSize(1);
    assertThat(rest.get("dead_letters").get(0).get("id").asText()).isEqualTo(m3.id().value());
    assertThat(rest.get("next_cursor").isNull()).isTrue();
    assertThat(get("/api/queues/q/dead?type=mail&offset=1").statusCode()).isEqualTo(400);
    assertThat(get("/api/queues/q/dead?cursor=nonsense").statusCode()).isEqualTo(400);
    assertThat(get("/api/queues/q/dead?type=" + "x".repeat(257)).statusCode()).isEqualTo(400);
  }

  @Test
  void deadPage_bulkRequeueByFilter_movesOnlyMatchesSeenWhenThePageWasRendered() throws Exception {
    start(Optional.empty(), false);
    Task seen = killedAs("q", "mail", "E", "boom");
    Task other = killedAs("q", "sms", "E", "boom");
    String page =
        get("/queues/q/dead?type=mail&error=" + URLEncoder.encode(XSS, StandardCharsets.UTF_8))
            .body();
    assertThat(page).contains("value=\"&lt;script&gt;").doesNotContain(XSS);
    page = get("/queues/q/dead?type=mail").body();
    assertThat(page).contains("id=\"requeue-all\"").contains("(1 seen)");
    String mark = hidden(page, "mark");
    Task later = killedAs("q", "mail", "E", "died after the page was rendered");

    HttpResponse<String> r =
        post(
            "/queues/q/dead/requeue-all",
            "csrf=" + guard.csrf() + "&type=mail&error=&mark=" + mark,
            "Sec-Fetch-Site",
            "same-origin");

    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location"))
        .get()
        .asString()
        .startsWith("/queues/q/dead?type=mail&done=");
    assertThat(broker.stats("q").ready()).isEqualTo(1);
    assertThat(dead.get("q", seen.id())).isEmpty();
    assertThat(dead.get("q", later.id())).isPresent();
    assertThat(dead.get("q", other.id())).isPresent();
  }

  @Test
  void deadPage_bulkPurgeByFilter_deletesOnlyMatchesSeen_andRefusesForeignOrMadeUpMarks()
      throws Exception {
    start(Optional.empty(), false);
    killedAs("q", "mail", "java.io.IOException", "closed");
    Task kept = killedAs("q", "mail", "E", "other error");
    String mark = hidden(get("/queues/q/dead?error=ioexception").body(), "mark");
    Task later = killedAs("q", "mail", "java.io.IOException", "later");
    String form = "csrf=" + guard.csrf() + "&error=IOException&mark=";
    String[] same = {"Sec-Fetch-Site", "same-origin"};

    assertThat(post("/queues/q/dead/purge", form + "9@other", same).statusCode()).isEqualTo(400);
    assertThat(post("/queues/q/dead/purge", form + "garbage", same).statusCode()).isEqualTo(400);
    assertThat(post("/queues/q/dead/purge", form + "999@q", same).statusCode()).isEqualTo(400);
    assertThat(dead.size("q")).isEqualTo(3);
    assertThat(post("/queues/q/dead/purge", form + mark, same).statusCode()).isEqualTo(303);

    assertThat(dead.list("q", 0, 10))
        .extracting(d -> d.task().id())
        .containsExactly(kept.id(), later.id());
  }

  @Test
  void readOnly_hidesAndRefusesActions() throws Exception {
    start(Optional.empty(), true);
    Task t = enqueue("q", "x");

    assertThat(get("/queues/q").body()).doesNotContain("<form");
    assertThat(get("/queues/q/tasks/" + t.id().value()).body()).doesNotContain("<form");
    assertThat(
            post("/queues/q/pause", "csrf=" + guard.csrf(), "Sec-Fetch-Site", "same-origin")
                .statusCode())
        .isEqualTo(403);
    assertThat(broker.pauseOf("q")).isEmpty();
  }

  @Test
  void aForeignHost_isMisdirected_evenWithoutToken() throws Exception {
    start(Optional.empty(), false);

    String api = raw("GET /api/overview HTTP/1.1\r\nHost: evil.example\r\n");
    String action =
        raw(
            "POST /queues/q/pause HTTP/1.1\r\nHost: evil.example:"
                + server.port()
                + "\r\nOrigin: http://evil.example:"
                + server.port()
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                + ("csrf=" + guard.csrf()).length()
                + "\r\n\r\ncsrf="
                + guard.csrf());
    String local = raw("GET /api/overview HTTP/1.1\r\nHost: localhost:" + server.port() + "\r\n");

    assertThat(api).startsWith("HTTP/1.1 421").doesNotContain("\"queues\"");
    assertThat(action).startsWith("HTTP/1.1 421");
    assertThat(broker.pauseOf("q")).isEmpty();
    assertThat(local).startsWith("HTTP/1.1 200").contains("\"queues\"");
  }

  /** One request over a plain socket (the JDK's client refuses to set {@code Host}). */
  private String raw(String request) throws Exception {
    String full = request.contains("\r\n\r\n") ? request : request + "\r\n";
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              full.replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void login_takesNoTokenFromTheUrl_norFromAnotherOrigin() throws Exception {
    start(Optional.of("tok-123456"), false);

    HttpResponse<String> byUrl = get("/login?token=tok-123456");
    HttpResponse<String> foreign =
        post("/login", "token=tok-123456", "Origin", "http://evil.example");
    HttpResponse<String> noOrigin = post("/login", "token=tok-123456");

    assertThat(byUrl.statusCode()).isEqualTo(200);
    assertThat(byUrl.body()).contains("name=\"token\"");
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(noOrigin.statusCode()).isEqualTo(403);
    for (HttpResponse<String> r : java.util.List.of(byUrl, foreign, noOrigin)) {
      assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
    }
  }

  @Test
  void anUnexpectedFailure_isAGeneric500() throws Exception {
    // No dead-letter queue: reading it fails with a NullPointerException, a stand-in for any bug.
    start(new DashboardData(broker, null, clock), Optional.empty(), false);

    HttpResponse<String> api = get("/api/queues/q/dead");
    HttpResponse<String> page = get("/queues/q/dead");

    assertThat(api.statusCode()).isEqualTo(500);
    assertThat(JSON.readTree(api.body()).get("error").asText()).contains("internal error");
    assertThat(page.statusCode()).isEqualTo(500);
    for (HttpResponse<String> r : java.util.List.of(api, page)) {
      assertThat(r.body()).doesNotContain("NullPointer").doesNotContain("Exception");
    }
  }

  @Test
  void theTasksPathOfAQueue_isItsPage() throws Exception {
    start(Optional.empty(), false);
    enqueue("q", "x");

    HttpResponse<String> r = get("/queues/q/tasks?state=ready");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(get("/queues/q?state=ready").body());
  }

  /**
   * The JDK server has no time limit unless these are set. The dashboard sets 30 s when nobody set
   * them before; another server in the same JVM (the Prometheus exporter of an earlier test sets 60
   * s and 600 s) may have set them first, so only a bound is asserted.
   */
  @Test
  void slowClients_haveATimeLimit() throws Exception {
    start(Optional.empty(), false);

    assertThat(Long.parseLong(System.getProperty("sun.net.httpserver.maxReqTime")))
        .isBetween(1L, 600L);
    assertThat(Long.parseLong(System.getProperty("sun.net.httpserver.maxRspTime")))
        .isBetween(1L, 600L);
  }

  @Test
  void refusedAndFailedActions_writeAnAuditLineToo() throws Exception {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.dq.dashboard.audit");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      start(Optional.empty(), false);
      String form = "csrf=" + guard.csrf();

      assertThat(post("/queues/q/pause", form, "Origin", "http://evil.example").statusCode())
          .isEqualTo(403);
      assertThat(post("/queues/q/pause", "csrf=x", "Sec-Fetch-Site", "same-origin").statusCode())
          .isEqualTo(403);
      assertThat(
              post("/queues/q/dead/nope/requeue", form, "Sec-Fetch-Site", "same-origin")
                  .statusCode())
          .isEqualTo(404);
    } finally {
      logger.detachAppender(lines);
    }

    assertThat(lines.list)
        .extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
        .satisfiesExactly(
            l ->
                assertThat(l)
                    .contains("action=pause path=/queues/q/pause remote=127.0.0.1")
                    .contains("result=refused")
                    .contains("cross-site"),
            l -> assertThat(l).contains("action=pause").contains("result=refused"),
            l ->
                assertThat(l)
                    .contains("action=requeue path=/queues/q/dead/nope/requeue")
                    .contains("result=error"));
  }

  @Test
  void anOffsetAboveTheCap_isABadRequest() throws Exception {
    start(Optional.empty(), false);

    assertThat(get("/api/queues/q/tasks?offset=1000000000000").statusCode()).isEqualTo(200);
    assertThat(get("/api/queues/q/tasks?offset=1000000000001").statusCode()).isEqualTo(400);
    assertThat(get("/api/queues/q/dead?offset=9223372036854775807").statusCode()).isEqualTo(400);
    assertThat(get("/queues/q?offset=1000000000001").statusCode()).isEqualTo(400);
  }

  @Test
  void token_isNeededEverywhere_andNeverShown() throws Exception {
    start(Optional.of("tok-123456"), false);

    assertThat(get("/api/overview").statusCode()).isEqualTo(401);
    assertThat(get("/api/overview", "Authorization", "Bearer nope").statusCode()).isEqualTo(401);
    HttpResponse<String> api = get("/api/overview", "Authorization", "Bearer tok-123456");
    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.body()).doesNotContain("tok-123456");
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(401);
    assertThat(page.body()).contains("name=\"token\"");

    String self = "http://127.0.0.1:" + server.port();
    assertThat(post("/login", "token=wrong", "Origin", self).statusCode()).isEqualTo(401);
    HttpResponse<String> login = post("/login", "token=tok-123456", "Origin", self);
    assertThat(login.statusCode()).isEqualTo(303);
    String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie)
        .contains("HttpOnly")
        .contains("SameSite=Strict")
        .doesNotContain("tok-123456");

    HttpResponse<String> in = get("/", "Cookie", cookie.substring(0, cookie.indexOf(';')));
    assertThat(in.statusCode()).isEqualTo(200);
    assertThat(in.body()).doesNotContain("tok-123456");
  }

  @Test
  void cron_listsSchedules_andTriggersPausesResumesThem() throws Exception {
    start(Optional.empty(), false);
    Cron.add(
        broker.schedules(),
        Schedule.of("nightly.job", "q", ScheduleSpec.every(Duration.ofHours(1)), "echo"));
    String form = "csrf=" + guard.csrf();
    String[] same = {"Sec-Fetch-Site", "same-origin"};

    JsonNode list = JSON.readTree(get("/api/cron").body());
    assertThat(list.get("schedules")).hasSize(1);
    assertThat(list.get("schedules").get(0).get("name").asText()).isEqualTo("nightly.job");
    assertThat(list.get("schedules").get(0).get("paused").asBoolean()).isFalse();
    assertThat(get("/cron").body()).contains("nightly.job").contains("/cron/q/nightly.job/pause");

    assertThat(post("/cron/q/nightly.job/trigger", form, same).statusCode()).isEqualTo(303);
    assertThat(broker.stats("q").ready()).isEqualTo(1);
    assertThat(get("/cron").body()).contains("href=\"/cron/q/nightly.job\"");
    assertThat(get("/cron/q/nope").statusCode()).isEqualTo(404);
    assertThat(post("/cron/q/nightly.job/pause", form, same).statusCode()).isEqualTo(303);
    assertThat(broker.schedules().get("q", "nightly.job").orElseThrow().paused()).isTrue();
    assertThat(post("/cron/q/nightly.job/resume", form, same).statusCode()).isEqualTo(303);
    assertThat(broker.schedules().get("q", "nightly.job").orElseThrow().paused()).isFalse();
    assertThat(post("/cron/q/nope/trigger", form, same).statusCode()).isEqualTo(404);
    assertThat(post("/cron/q/nightly.job/trigger", "", same).statusCode()).isEqualTo(403);

    // A schedule's page shows its fires (a manual trigger is not one), each linked to its task.
    Schedule hourly = Schedule.of("hourly", "q", ScheduleSpec.every(Duration.ofHours(1)), "echo");
    Instant tick = broker.schedules().now().minusSeconds(60);
    broker.schedules().upsert(hourly, tick);
    assertThat(broker.schedules().fire(hourly, tick, tick.plus(Duration.ofHours(1))))
        .isEqualTo(FireOutcome.FIRED);
    String fired =
        JSON.readTree(get("/api/cron/q/hourly").body()).get("history").get(0).get("task").asText();
    assertThat(get("/cron/q/hourly").body())
        .contains("Schedule hourly on q")
        .contains("<td>fired</td>")
        .contains("href=\"/queues/q/tasks/" + DashboardPages.url(fired) + "\"");
    assertThat(get("/queues/q/tasks/" + DashboardPages.url(fired)).statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> apiPost(String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(
        b.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static final String[] JSON_TYPE = {"Content-Type", "application/json"};

  @Test
  void everyAction_answersUnderApi_asJson_withTheSameOperation() throws Exception {
    start(Optional.empty(), false);
    Task t = enqueue("q", "x");
    Task d = killed("q", "boom");

    HttpResponse<String> paused =
        apiPost("/api/queues/q/pause", "{\"for\": \"30m\", \"reason\": \"deploy\"}", JSON_TYPE);
    assertThat(paused.statusCode()).isEqualTo(200);
    assertThat(paused.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode answer = JSON.readTree(paused.body());
    assertThat(answer.get("result").asText()).startsWith("queue q paused until ");
    assertThat(answer.get("action").asText()).isEqualTo("pause");
    assertThat(answer.get("queue").asText()).isEqualTo("q");
    assertThat(broker.pauseOf("q").orElseThrow().reason()).isEqualTo("deploy");
    assertThat(broker.pauseOf("q").orElseThrow().until()).isPresent();
    JsonNode pause = JSON.readTree(get("/api/queues/q/pause").body());
    assertThat(pause.get("reason").asText()).isEqualTo("deploy");
    assertThat(pause.get("by").asText()).isEqualTo("test@127.0.0.1");

    assertThat(apiPost("/api/queues/q/resume", "", JSON_TYPE).statusCode()).isEqualTo(200);
    assertThat(broker.pauseOf("q")).isEmpty();
    assertThat(
            apiPost("/api/queues/q/tasks/" + t.id().value() + "/cancel", "{}", JSON_TYPE)
                .statusCode())
        .isEqualTo(200);
    assertThat(broker.stats("q").ready()).isZero();
    HttpResponse<String> requeued =
        apiPost("/api/queues/q/dead/" + d.id().value() + "/requeue", "", JSON_TYPE);
    assertThat(JSON.readTree(requeued.body()).get("result").asText())
        .isEqualTo("dead letter requeued");
    assertThat(dead.size("q")).isZero();

    HttpResponse<String> missing =
        apiPost("/api/queues/q/dead/" + d.id().value() + "/delete", "", JSON_TYPE);
    assertThat(missing.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(missing.body()).get("result").asText())
        .isEqualTo("no such dead letter");
    HttpResponse<String> unknown = apiPost("/api/queues/q/explode", "", JSON_TYPE);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("no such action");
  }

  @Test
  void apiActions_needJson_refuseCrossSiteFetches_andTheBearerToken() throws Exception {
    start(Optional.of("tok-123456"), false);
    String[] bearer = {"Authorization", "Bearer tok-123456"};

    assertThat(apiPost("/api/queues/q/pause", "", JSON_TYPE).statusCode()).isEqualTo(401);
    HttpResponse<String> form =
        apiPost(
            "/api/queues/q/pause",
            "reason=x",
            "Content-Type",
            "application/x-www-form-urlencoded",
            bearer[0],
            bearer[1]);
    assertThat(form.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(form.body()).get("error").asText()).contains("application/json");
    assertThat(bearerPause("text/plain", "{}", null).statusCode()).isEqualTo(403);
    assertThat(bearerPause("application/json", "{}", "same-site").statusCode()).isEqualTo(403);
    assertThat(broker.pauseOf("q")).isEmpty();
    assertThat(bearerPause("application/json", "{oops", null).statusCode()).isEqualTo(400);

    HttpResponse<String> typed = bearerPause("application/json; charset=utf-8", "", "none");
    assertThat(typed.statusCode()).isEqualTo(200);
    assertThat(broker.pauseOf("q")).isPresent();
  }

  @Test
  void apiActions_withoutAToken_onLoopback_refuseWhatACrossSitePageCouldSend() throws Exception {
    start(Optional.empty(), false);

    // What a cross-site form or a no-cors fetch can send without a CORS preflight.
    for (String type :
        java.util.List.of(
            "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x")) {
      assertThat(apiPost("/api/queues/q/pause", "{}", "Content-Type", type).statusCode())
          .as(type)
          .isEqualTo(403);
    }
    assertThat(apiPost("/api/queues/q/pause", "{}").statusCode()).isEqualTo(403);
    assertThat(
            apiPost(
                    "/api/queues/q/pause",
                    "{}",
                    "Content-Type",
                    "application/json",
                    "Sec-Fetch-Site",
                    "cross-site")
                .statusCode())
        .isEqualTo(403);
    assertThat(broker.pauseOf("q")).isEmpty();

    assertThat(apiPost("/api/queues/q/pause", "{}", JSON_TYPE).statusCode()).isEqualTo(200);
    assertThat(broker.pauseOf("q")).isPresent();
  }

  /** POST /api/queues/q/pause with the bearer token of tok-123456. */
  private HttpResponse<String> bearerPause(String type, String body, String fetchSite)
      throws Exception {
    java.util.List<String> h =
        new java.util.ArrayList<>(
            java.util.List.of("Content-Type", type, "Authorization", "Bearer tok-123456"));
    if (fetchSite != null) {
      h.addAll(java.util.List.of("Sec-Fetch-Site", fetchSite));
    }
    return apiPost("/api/queues/q/pause", body, h.toArray(String[]::new));
  }

  @Test
  void pauseForm_takesDurationAndReason_andThePageShowsWhoWhyUntil() throws Exception {
    start(Optional.empty(), false);
    String[] same = {"Sec-Fetch-Site", "same-origin"};

    HttpResponse<String> bad =
        post("/queues/q/pause", "csrf=" + guard.csrf() + "&for=soon&reason=x", same);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("for must be").contains("&quot;soon&quot;");
    assertThat(broker.pauseOf("q")).isEmpty();

    HttpResponse<String> ok =
        post(
            "/queues/q/pause",
            "csrf=" + guard.csrf() + "&for=2h&reason=" + DashboardPages.url(XSS),
            same);
    assertThat(ok.statusCode()).isEqualTo(303);
    String page = get("/queues/q").body();
    assertThat(page)
        .contains("id=\"pause-by\">test@127.0.0.1")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .doesNotContain(XSS)
        .contains(broker.pauseOf("q").orElseThrow().until().orElseThrow().toString());
  }

  @Test
  void retention_isShownAndSet_likeDqQueueRetention() throws Exception {
    start(Optional.empty(), false);
    String[] same = {"Sec-Fetch-Site", "same-origin"};

    JsonNode before = JSON.readTree(get("/api/queues/q/retention").body());
    assertThat(before.get("finished_ms").asLong()).isEqualTo(Duration.ofHours(24).toMillis());
    assertThat(get("/queues/q").body()).contains("name=\"dead-max\"").contains("value=\"1d\"");

    HttpResponse<String> set =
        post("/queues/q/retention", "csrf=" + guard.csrf() + "&finished-for=2d&dead-max=7", same);
    assertThat(set.statusCode()).isEqualTo(303);
    JsonNode after = JSON.readTree(get("/api/queues/q/retention").body());
    assertThat(after.get("finished_ms").asLong()).isEqualTo(Duration.ofDays(2).toMillis());
    assertThat(after.get("dead_max").asLong()).isEqualTo(7);
    assertThat(after.get("dead_ms").asLong()).isEqualTo(before.get("dead_ms").asLong());

    HttpResponse<String> bad = apiPost("/api/queues/q/retention", "{\"dead-max\": -1}", JSON_TYPE);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).get("error").asText()).contains("dead-max").contains("-1");
    assertThat(get("/queues/q/retention").statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> cronAdd(String fields) throws Exception {
    return post("/cron/add", "csrf=" + guard.csrf() + fields, "Sec-Fetch-Site", "same-origin");
  }

  @Test
  void cron_addsAndRemovesSchedules_andABadSpecIsA400NamingIt() throws Exception {
    start(Optional.empty(), false);
    String form = "csrf=" + guard.csrf();
    String[] same = {"Sec-Fetch-Site", "same-origin"};

    HttpResponse<String> bad = cronAdd("&name=nightly&queue=q&cron=61+*+*+*+*&type=echo");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("cron").contains("61");
    HttpResponse<String> zone =
        cronAdd("&name=nightly&queue=q&every=5m&zone=Mars%2FOlympus&type=echo");
    assertThat(zone.statusCode()).isEqualTo(400);
    assertThat(zone.body()).contains("Mars/Olympus");
    assertThat(broker.schedules().list("q")).isEmpty();

    HttpResponse<String> added =
        cronAdd("&name=nightly&queue=q&cron=0+3+*+*+*&zone=Europe%2FBerlin&type=echo&payload=hi");
    assertThat(added.statusCode()).isEqualTo(303);
    assertThat(added.headers().firstValue("Location").orElseThrow()).startsWith("/cron?done=");
    JsonNode shown = JSON.readTree(get("/api/cron/q/nightly").body());
    assertThat(shown.get("cron").asText()).isEqualTo("0 3 * * *");
    assertThat(shown.get("zone").asText()).isEqualTo("Europe/Berlin");
    assertThat(shown.get("payload").asText()).isEqualTo("hi");
    assertThat(shown.get("history")).isEmpty();
    assertThat(get("/cron").body())
        .contains("/cron/q/nightly/remove")
        .contains("action=\"/cron/add\"");

    HttpResponse<String> apiAdd =
        apiPost(
            "/api/cron/add",
            "{\"name\": \"often\", \"every\": \"5m\", \"type\": \"echo\"}",
            JSON_TYPE);
    assertThat(apiAdd.statusCode()).isEqualTo(200);
    assertThat(broker.schedules().get("default", "often")).isPresent();

    assertThat(post("/cron/q/nightly/remove", form, same).statusCode()).isEqualTo(303);
    assertThat(broker.schedules().get("q", "nightly")).isEmpty();
    assertThat(post("/cron/q/nightly/remove", form, same).statusCode()).isEqualTo(404);
    assertThat(get("/api/cron/q/nightly").statusCode()).isEqualTo(404);
  }

  @Test
  void actionsAddedByOthers_answerUnderApiToo_limitsAndRunNow() throws Exception {
    start(Optional.empty(), false);

    HttpResponse<String> set =
        apiPost(
            "/api/limits/set",
            "{\"scope\": \"type\", \"name\": \"email\", \"concurrency\": 2}",
            JSON_TYPE);
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    assertThat(JSON.readTree(set.body()).get("action").asText()).isEqualTo("set");
    assertThat(get("/api/limits").body()).contains("email");

    HttpResponse<String> bad =
        apiPost("/api/limits/set", "{\"scope\": \"planet\", \"name\": \"x\"}", JSON_TYPE);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).get("error").asText()).contains("planet");

    HttpResponse<String> unknown = apiPost("/api/queues/q/tasks/nope/run-now", "", JSON_TYPE);
    assertThat(unknown.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(unknown.body()).get("result").asText())
        .isEqualTo("task nope not found in queue q");
    assertThat(JSON.readTree(unknown.body()).get("id").asText()).isEqualTo("nope");
  }
}
