package dev.dq.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.limit.LimitTarget;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
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
import java.time.InstantSource;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The task page's "Run now" and "Delete" and the limits page, against an in-memory broker: they act
 * with the CSRF token from the same origin, are refused otherwise and hidden when read-only, escape
 * what they echo, and write audit lines.
 */
final class DashboardLiveOpsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] SAME = {"Sec-Fetch-Site", "same-origin"};

  private final InstantSource clock = InstantSource.system();
  private final InMemoryBroker broker = InMemoryBroker.builder().clock(clock).build();
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

  private void start(boolean readOnly) throws Exception {
    guard = new Guard(Optional.empty(), new SecureRandom());
    server =
        new DashboardServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            new DashboardData(broker, broker.deadLetterQueue(), clock),
            new DashboardActions(broker, broker.deadLetterQueue(), "test"),
            new DashboardCron(broker),
            guard,
            readOnly);
    server.start();
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(
        b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private HttpResponse<String> post(String path, String form, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    return send(headers.length > 0 ? b.headers(headers) : b);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private String csrf() {
    return "csrf=" + guard.csrf();
  }

  private Task delayed(String id) throws Exception {
    Task t = Task.builder("echo").id(id).queue("q").createdAt(clock.instant()).build();
    broker.enqueueIn(t, Duration.ofHours(1), Duration.ofSeconds(1));
    return t;
  }

  private Optional<TaskState> state(String id) {
    return broker.find("q", new dev.dq.core.task.TaskId(id)).map(i -> i.state());
  }

  @Test
  void runNowAndDelete_showWhereTheyApply_andAct() throws Exception {
    start(false);
    delayed("d1");
    assertThat(get("/queues/q/tasks/d1").body())
        .contains("id=\"run-now\"")
        .contains("id=\"delete\"");

    HttpResponse<String> ran = post("/queues/q/tasks/d1/run-now", csrf(), SAME);

    assertThat(ran.statusCode()).isEqualTo(303);
    assertThat(ran.headers().firstValue("Location"))
        .get()
        .asString()
        .startsWith("/queues/q/tasks/d1?");
    assertThat(state("d1")).contains(TaskState.READY);
    String readyPage = get("/queues/q/tasks/d1").body();
    assertThat(readyPage).doesNotContain("id=\"run-now\"").contains("id=\"delete\"");

    HttpResponse<String> deleted = post("/queues/q/tasks/d1/delete", csrf(), SAME);

    assertThat(deleted.statusCode()).isEqualTo(303);
    assertThat(deleted.headers().firstValue("Location")).get().asString().startsWith("/queues/q?");
    assertThat(state("d1")).isEmpty();
    assertThat(broker.stats("q").ready()).isZero();
    assertThat(get("/queues/q/tasks/d1").statusCode()).isEqualTo(404);
  }

  /** A running task offers neither; a delete posted anyway changes nothing and says why. */
  @Test
  void runningTask_noButtons_deleteRefusedByTheBroker() throws Exception {
    start(false);
    broker.enqueue(
        Task.builder("echo").id("r1").queue("q").createdAt(clock.instant()).build(),
        Duration.ofSeconds(1));
    Lease lease = broker.dequeue("q", Duration.ofSeconds(30), Duration.ZERO).orElseThrow();

    assertThat(get("/queues/q/tasks/r1").body())
        .doesNotContain("id=\"run-now\"")
        .doesNotContain("id=\"delete\"");
    HttpResponse<String> refused = post("/queues/q/tasks/r1/delete", csrf(), SAME);

    assertThat(refused.statusCode()).isEqualTo(303);
    assertThat(
            java.net.URLDecoder.decode(
                refused.headers().firstValue("Location").orElseThrow(), StandardCharsets.UTF_8))
        .contains("is running: cancel it instead");
    assertThat(state("r1")).contains(TaskState.ACTIVE);
    broker.ack(lease);
  }

  @Test
  void withoutCsrf_orFromAnotherOrigin_refused_nothingChanged() throws Exception {
    start(false);
    delayed("d1");
    String self = "http://127.0.0.1:" + server.port();

    assertThat(post("/queues/q/tasks/d1/run-now", "", "Origin", self).statusCode()).isEqualTo(403);
    assertThat(
            post("/queues/q/tasks/d1/delete", csrf(), "Origin", "http://evil.example").statusCode())
        .isEqualTo(403);
    assertThat(
            post(
                    "/limits/set",
                    csrf() + "&scope=type&name=echo&concurrency=1",
                    "Sec-Fetch-Site",
                    "cross-site")
                .statusCode())
        .isEqualTo(403);

    assertThat(state("d1")).contains(TaskState.DELAYED);
    assertThat(broker.limits()).isEmpty();
  }

  @Test
  void readOnly_hidesAndRefusesThem() throws Exception {
    start(true);
    delayed("d1");
    broker.setLimit(dev.dq.core.limit.Limit.ofConcurrency(LimitTarget.type("echo"), 2));

    assertThat(get("/queues/q/tasks/d1").body()).doesNotContain("<form");
    assertThat(get("/limits").body()).contains("type:echo").doesNotContain("<form");
    assertThat(post("/queues/q/tasks/d1/run-now", csrf(), SAME).statusCode()).isEqualTo(403);
    assertThat(post("/limits/remove", csrf() + "&target=type:echo", SAME).statusCode())
        .isEqualTo(403);

    assertThat(state("d1")).contains(TaskState.DELAYED);
    assertThat(broker.limits()).hasSize(1);
  }

  @Test
  void limits_setListedInPageApiAndQueueAnswer_thenRemoved() throws Exception {
    start(false);

    HttpResponse<String> set =
        post(
            "/limits/set",
            csrf() + "&scope=type&name=echo&rate=50%2F1s&burst=5&concurrency=3",
            SAME);

    assertThat(set.statusCode()).isEqualTo(303);
    assertThat(broker.limit(LimitTarget.type("echo"))).isPresent();
    assertThat(get("/limits").body())
        .contains("data-target=\"type:echo\"")
        .contains("<td>50/1s</td>")
        .contains("id=\"limit-set\"");
    JsonNode api = JSON.readTree(get("/api/limits").body()).get("limits").get(0);
    assertThat(api.get("target").asText()).isEqualTo("type:echo");
    assertThat(api.get("rate").asLong()).isEqualTo(50);
    assertThat(api.get("per_ms").asLong()).isEqualTo(1000);
    assertThat(api.get("burst").asLong()).isEqualTo(5);
    assertThat(api.get("concurrency").asInt()).isEqualTo(3);
    JsonNode queue = JSON.readTree(get("/api/queues/q/tasks").body());
    assertThat(queue.get("limits").get(0).get("target").asText()).isEqualTo("type:echo");
    assertThat(get("/queues/q").body()).contains("<h2>Limits</h2>").contains("type:echo");

    HttpResponse<String> removed = post("/limits/remove", csrf() + "&target=type%3Aecho", SAME);

    assertThat(removed.statusCode()).isEqualTo(303);
    assertThat(broker.limits()).isEmpty();
    assertThat(get("/limits").body()).doesNotContain("data-target=");
  }

  /** A bad value is a 400 naming it, escaped; nothing is set. */
  @Test
  void limits_badValue_400_escaped_nothingSet() throws Exception {
    start(false);
    String bad = URLEncoder.encode("<b>1</b>", StandardCharsets.UTF_8);

    HttpResponse<String> r =
        post("/limits/set", csrf() + "&scope=type&name=echo&rate=" + bad, SAME);
    HttpResponse<String> noScope =
        post("/limits/set", csrf() + "&scope=x&name=echo&concurrency=1", SAME);
    HttpResponse<String> badName =
        post("/limits/set", csrf() + "&scope=queue&name=" + bad + "&concurrency=1", SAME);
    HttpResponse<String> noName =
        post("/limits/set", csrf() + "&scope=type&name=&concurrency=1", SAME);
    HttpResponse<String> burstAlone =
        post("/limits/set", csrf() + "&scope=type&name=echo&burst=5", SAME);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("&lt;b&gt;1&lt;/b&gt;").doesNotContain("<b>1");
    assertThat(noScope.statusCode()).isEqualTo(400);
    assertThat(badName.statusCode()).isEqualTo(400);
    assertThat(badName.body()).doesNotContain("<b>1");
    assertThat(noName.statusCode()).isEqualTo(400);
    assertThat(noName.body()).contains("name: give the type to limit");
    assertThat(burstAlone.statusCode()).isEqualTo(400);
    assertThat(burstAlone.body()).contains("burst").doesNotContain("--");
    assertThat(broker.limits()).isEmpty();
  }

  @Test
  void eachAction_writesOneAuditLine() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger("dev.dq.dashboard.audit");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    try {
      start(false);
      delayed("d1");
      post("/queues/q/tasks/d1/run-now", csrf(), SAME);
      post("/queues/q/tasks/d1/delete", csrf(), SAME);
      post("/queues/q/tasks/nope/delete", csrf(), SAME);
      post("/limits/set", csrf() + "&scope=queue&name=q&concurrency=1", SAME);
      post("/limits/remove", csrf() + "&target=queue:q", SAME);
    } finally {
      logger.detachAppender(lines);
    }

    assertThat(lines.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .satisfiesExactly(
            l ->
                assertThat(l)
                    .contains("action=run-now queue=q task=d1 remote=127.0.0.1 result=made_ready"),
            l -> assertThat(l).contains("action=delete queue=q task=d1").contains("result=deleted"),
            l ->
                assertThat(l)
                    .contains("action=delete queue=q task=nope")
                    .contains("result=not_found"),
            l ->
                assertThat(l).contains("action=limit-set target=queue:q").contains("concurrency 1"),
            l ->
                assertThat(l)
                    .contains("action=limit-remove target=queue:q")
                    .contains("result=\"removed\""));
  }
}
