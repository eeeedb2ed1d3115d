package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.limit.LimitTarget;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.Failure;
import dev.dq.core.schedule.Schedule;
import dev.dq.core.schedule.ScheduleSpec;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.cron.Cron;
import java.io.File;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard in a real browser: headless Debian chromium driven by Selenium, a real {@code dq
 * dashboard} process and real {@code dq run} processes on a private Redis. A missing browser fails
 * the test (CI installs it), it is never skipped. Screenshots of each page go to
 * target/screenshots.
 */
final class DashboardBrowserIT extends WithRedis {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final String XSS = "<script>alert(1)</script>";

  private static Dq.Running dashboard;
  private static String base;
  private static WebDriver browser;
  private static ChromeDriverService service;

  @BeforeAll
  static void startDashboardAndBrowser() throws Exception {
    assertThat(CHROMIUM).as("chromium is installed (apt-get install chromium)").isExecutable();
    assertThat(CHROMEDRIVER)
        .as("chromedriver is installed (apt-get install chromium-driver)")
        .isExecutable();
    int port = Dq.freePort();
    dashboard = Dq.Running.start(env(), "dashboard", "--port", Integer.toString(port));
    base = "http://127.0.0.1:" + port;
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Dq.PATIENCE)
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        http.send(
                                HttpRequest.newBuilder(URI.create(base + "/api/workers")).build(),
                                HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as("dashboard up; stderr:%n%s", dashboard.errText())
                    .isEqualTo(200));
    Path profile = Files.createTempDirectory("dq-chromium");
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1200,900",
        "--user-data-dir=" + profile);
    browser = new ChromeDriver(service, options);
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stopAll() {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.stop();
    }
    if (dashboard != null) {
      dashboard.close();
    }
  }

  private static void open(String path) {
    browser.get(base + path);
  }

  /**
   * The text of the element {@code css} selects. A click on a form button navigates after it
   * returns, so the element found may belong to the page being left: look again then.
   */
  private static String text(String css) {
    for (int tries = 1; ; tries++) {
      try {
        return browser.findElement(By.cssSelector(css)).getText();
      } catch (org.openqa.selenium.StaleElementReferenceException leftPage) {
        if (tries == 20) {
          throw leftPage;
        }
      }
    }
  }

  private static void shoot(String name) throws Exception {
    File f = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private Task enqueue(String queue, String id, String type, String payload) throws Exception {
    Task t =
        Task.builder(type)
            .queue(queue)
            .id(id)
            .payload(payload)
            .header("source", "<i>browser-it</i>")
            .createdAt(Instant.now())
            .build();
    broker.enqueue(t, Duration.ofSeconds(1));
    return t;
  }

  private Optional<TaskState> state(String queue, String id) {
    return broker.find(queue, new TaskId(id)).map(TaskInfo::state);
  }

  private static Dq.Running startRun(String queue, String other) throws Exception {
    return Dq.Running.start(
        env("DQ_METRICS_PORT", "0"),
        "run",
        "--queue",
        queue,
        "--queue",
        other,
        "--workers",
        "2",
        "--prefetch",
        "1",
        "--lease-time",
        "10s");
  }

  @Test
  void overviewShowsCounts_andAScriptPayloadStaysText() throws Exception {
    enqueue("shown", "a1", "echo", "one");
    enqueue("shown", "a2", "echo", "two");
    Task xss = enqueue("shown", "xss", "echo", XSS);
    broker
        .deadLetterQueue()
        .add(
            new DeadLetter(
                Task.builder("echo")
                    .queue("shown")
                    .id("gone")
                    .payload(XSS)
                    .createdAt(Instant.now())
                    .build(),
                new Failure("java.lang.IllegalStateException", "<b>boom</b>", 3, Instant.now())));

    open("/");
    assertThat(text("tr[data-queue='shown'] td.ready")).isEqualTo("3");
    assertThat(text("tr[data-queue='shown'] td.dead")).isEqualTo("1");
    assertThat(text("tr[data-queue='shown'] td.paused")).isEqualTo("no");
    shoot("overview");

    open("/queues/shown/tasks/" + xss.id().value());
    assertThat(text("#payload")).isEqualTo(XSS);
    assertThat(text("#state")).isEqualTo("ready");
    assertThat(browser.getPageSource()).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(browser.findElements(By.cssSelector("main script"))).isEmpty();
    assertThatThrownBy(() -> browser.switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
    shoot("task");

    open("/queues/shown");
    assertThat(browser.findElements(By.cssSelector("#tasks tbody tr"))).hasSize(3);
    shoot("queue");
    open("/queues/shown/dead");
    assertThat(text("#dead tbody")).contains("<b>boom</b>");
    assertThatThrownBy(() -> browser.switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
    shoot("dead-letters");

    Cron.add(
        broker.schedules(),
        Schedule.of("hourly.report", "shown", ScheduleSpec.every(Duration.ofHours(1)), "echo"));
    open("/cron");
    assertThat(text("tr[data-schedule='hourly.report']")).contains("shown").contains("echo");
    shoot("cron");
  }

  @Test
  void actionWithoutCsrfToken_orFromAnotherOrigin_isRefused() throws Exception {
    open("/queues/guarded");
    String csrf =
        browser.findElement(By.cssSelector("form.action input[name=csrf]")).getAttribute("value");
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> noToken = post(http, "", "Origin", base);
    HttpResponse<String> foreign = post(http, "csrf=" + csrf, "Origin", "http://evil.example");
    HttpResponse<String> good = post(http, "csrf=" + csrf, "Origin", base);

    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(good.statusCode()).as("the same request with both passes").isEqualTo(303);
    assertThat(broker.pauseOf("guarded")).isPresent();
  }

  private HttpResponse<String> post(HttpClient http, String form, String... headers)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "/queues/guarded/pause"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .headers(headers)
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Over plain HTTP to an address that is not loopback, a browser sends no {@code Sec-Fetch-Site};
   * the login form and the actions must still pass the same-origin check (they did not with {@code
   * Referrer-Policy: no-referrer}: the form's {@code Origin} was {@code null}).
   */
  @Test
  void tokenLoginAndAction_workOverPlainHttpOnANonLoopbackAddress() throws Exception {
    String host = exposedAddress().getHostAddress();
    int port = Dq.freePort();
    String token = "browser-it-token-0123456789";
    try (Dq.Running exposed =
        Dq.Running.start(
            env("DQ_DASHBOARD_TOKEN", token),
            "dashboard",
            "--bind",
            host,
            "--port",
            Integer.toString(port))) {
      String root = "http://" + host + ":" + port;
      HttpClient http = HttpClient.newHttpClient();
      await()
          .atMost(Dq.PATIENCE)
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(
                          http.send(
                                  HttpRequest.newBuilder(URI.create(root + "/login")).build(),
                                  HttpResponse.BodyHandlers.ofString())
                              .statusCode())
                      .as("dashboard up on %s; stderr:%n%s", root, exposed.errText())
                      .isEqualTo(200));

      browser.get(root + "/queues/remote");
      assertThat(browser.findElements(By.id("pause"))).as("not logged in yet").isEmpty();
      browser.findElement(By.name("token")).sendKeys(token);
      browser.findElement(By.cssSelector("form[action='/login'] button")).click();
      assertThat(browser.findElements(By.id("chart")))
          .as("logged in, on the overview; page:%n%s", browser.getPageSource())
          .hasSize(1);

      browser.get(root + "/queues/remote");
      browser.findElement(By.id("pause")).click();
      await().atMost(Dq.PATIENCE).ignoreExceptions().until(() -> text("#paused").equals("Paused"));
      assertThat(broker.pauseOf("remote")).isPresent();
      await()
          .atMost(Dq.PATIENCE)
          .untilAsserted(
              () -> assertThat(exposed.err).anyMatch(l -> l.contains("action=pause queue=remote")));
    }
  }

  /** The machine's first non-loopback IPv4 address, else 127.0.0.2 (loopback, not localhost). */
  private static InetAddress exposedAddress() throws Exception {
    for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!n.isUp() || n.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(n.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
          return a;
        }
      }
    }
    return InetAddress.getByName("127.0.0.2");
  }

  /** Set a limit on the limits page and see it listed, then remove it; run a delayed task now. */
  @Test
  void limitsPage_setListedRemoved_andRunNowOfADelayedTask_runsIt() throws Exception {
    String type = "browser-limited";
    open("/limits");
    browser.findElement(By.id("limit-name")).sendKeys(type);
    browser.findElement(By.id("limit-rate")).sendKeys("50/1s");
    browser.findElement(By.id("limit-concurrency")).sendKeys("2");
    browser.findElement(By.id("limit-set")).click();
    String row = "tr[data-target='type:" + type + "']";
    await()
        .atMost(Dq.PATIENCE)
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(text(row)).contains("type:" + type).contains("2"));
    assertThat(broker.limit(LimitTarget.type(type)).orElseThrow().concurrency()).hasValue(2);
    shoot("limits");
    browser.findElement(By.id("remove-type:" + type)).click();
    await().atMost(Dq.PATIENCE).until(() -> broker.limit(LimitTarget.type(type)).isEmpty());
    open("/limits");
    assertThat(browser.findElements(By.cssSelector(row))).isEmpty();

    String q = "runnow";
    try (Dq.Running run = startRun(q, "runnow-side")) {
      broker.enqueueIn(
          Task.builder("sleep")
              .queue(q)
              .id("later")
              .payload("1ms")
              .createdAt(Instant.now())
              .build(),
          Duration.ofHours(1),
          Duration.ofSeconds(1));
      open("/queues/" + q + "/tasks/later");
      assertThat(text("#state")).isEqualTo("delayed");
      browser.findElement(By.id("run-now")).click();
      await()
          .atMost(Dq.PATIENCE)
          .until(() -> state(q, "later").equals(Optional.of(TaskState.SUCCEEDED)));
      assertThat(dashboard.err)
          .anyMatch(l -> l.contains("action=run-now queue=" + q + " task=later"))
          .anyMatch(l -> l.contains("action=limit-set target=type:" + type));
    }
  }

  @Test
  void deadLetters_filterByType_bulkRequeueRunsTheMatchesSeen_andALaterDeathStaysDead()
      throws Exception {
    String q = "bulk";
    try (Dq.Running run = startRun(q, "bulk-side")) {
      bury(q, "b-1", "sleep");
      bury(q, "b-2", "sleep");
      bury(q, "other", "echo");
      open("/queues/" + q + "/dead");
      browser.findElement(By.id("filter-type")).sendKeys("sleep");
      browser.findElement(By.id("filter")).click();
      await()
          .atMost(Dq.PATIENCE)
          .ignoreExceptions()
          .until(
              () -> !text("#dead tbody").contains("other") && text("#dead tbody").contains("b-2"));
      assertThat(text("#requeue-all")).contains("(2 seen)");
      shoot("dead-letters-filtered");
      bury(q, "b-late", "sleep"); // dies after the page was rendered

      browser.findElement(By.id("requeue-all")).click();

      await()
          .atMost(Dq.PATIENCE)
          .until(
              () ->
                  state(q, "b-1").equals(Optional.of(TaskState.SUCCEEDED))
                      && state(q, "b-2").equals(Optional.of(TaskState.SUCCEEDED)));
      assertThat(broker.deadLetterQueue().get(q, new TaskId("b-late")))
          .as("a later death stays dead; worker stderr:%n%s", run.errText())
          .isPresent();
      assertThat(broker.deadLetterQueue().get(q, new TaskId("other"))).isPresent();
      await()
          .atMost(Dq.PATIENCE)
          .untilAsserted(
              () ->
                  assertThat(dashboard.err)
                      .anyMatch(
                          l ->
                              l.contains("action=dlq-requeue-all queue=" + q)
                                  && l.contains("type=\"sleep\"")
                                  && l.contains("count=2")));
    }
  }

  private void bury(String queue, String id, String type) {
    broker
        .deadLetterQueue()
        .add(
            new DeadLetter(
                Task.builder(type)
                    .queue(queue)
                    .id(id)
                    .payload("1ms")
                    .createdAt(Instant.now())
                    .build(),
                new Failure("java.lang.RuntimeException", "flaky", 3, Instant.now())));
  }

  @Test
  void operateARealWorker_cancelPauseRequeue_andSeeItLeaveWhenKilled() throws Exception {
    String q = "ops";
    String side = "ops-side";
    try (Dq.Running run = startRun(q, side)) {
      String pid = Long.toString(run.pid());
      await()
          .atMost(Dq.PATIENCE)
          .untilAsserted(
              () -> {
                open("/workers");
                assertThat(browser.findElements(By.cssSelector("tr[data-pid='" + pid + "']")))
                    .as("worker listed; stderr:%n%s", run.errText())
                    .hasSize(1);
              });
      assertThat(text("tr[data-pid='" + pid + "']")).contains(q).contains("/2");

      // Cancel a running task from its page.
      enqueue(q, "long", "sleep", "60s");
      await()
          .atMost(Dq.PATIENCE)
          .until(() -> state(q, "long").equals(Optional.of(TaskState.ACTIVE)));
      // The running list comes with the next heartbeat (every 5 s).
      await()
          .atMost(Dq.PATIENCE)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                open("/workers");
                assertThat(text("tr[data-pid='" + pid + "']")).contains(q + "/long");
              });
      shoot("workers");
      open("/queues/" + q + "/tasks/long");
      assertThat(text("#state")).isEqualTo("active");
      browser.findElement(By.id("cancel")).click();
      await()
          .atMost(Dq.PATIENCE)
          .until(() -> state(q, "long").equals(Optional.of(TaskState.CANCELLED)));

      // Pause from the queue page: the worker stops taking its tasks; resume: it takes them.
      open("/queues/" + q);
      browser.findElement(By.id("pause")).click();
      await().atMost(Dq.PATIENCE).ignoreExceptions().until(() -> text("#paused").equals("Paused"));
      enqueue(q, "held", "sleep", "1ms");
      // The same process runs a task of its other queue, enqueued after "held": it was claiming.
      enqueue(side, "meanwhile", "sleep", "1ms");
      await()
          .atMost(Dq.PATIENCE)
          .until(() -> state(side, "meanwhile").equals(Optional.of(TaskState.SUCCEEDED)));
      assertThat(state(q, "held")).hasValue(TaskState.READY);
      browser.findElement(By.id("resume")).click();
      await().atMost(Dq.PATIENCE).ignoreExceptions().until(() -> text("#paused").equals("Running"));
      await()
          .atMost(Dq.PATIENCE)
          .until(() -> state(q, "held").equals(Optional.of(TaskState.SUCCEEDED)));

      // Requeue a dead letter from the dead-letter page and see it run.
      broker
          .deadLetterQueue()
          .add(
              new DeadLetter(
                  Task.builder("sleep")
                      .queue(q)
                      .id("again")
                      .payload("1ms")
                      .createdAt(Instant.now())
                      .build(),
                  new Failure("java.lang.RuntimeException", "flaky", 3, Instant.now())));
      open("/queues/" + q + "/dead");
      WebElement requeue = browser.findElement(By.id("requeue"));
      requeue.click();
      await()
          .atMost(Dq.PATIENCE)
          .until(() -> state(q, "again").equals(Optional.of(TaskState.SUCCEEDED)));
      assertThat(broker.deadLetterQueue().size(q)).isZero();
      // The pool records its counts every 5 s: the chart then shows this minute's work.
      await()
          .atMost(Dq.PATIENCE)
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                open("/");
                assertThat(browser.findElements(By.cssSelector("#chart title")))
                    .anyMatch(
                        t -> t.getAttribute("textContent").matches(".*: [1-9]\\d* processed.*"));
              });
      shoot("overview-after-work");
      // One audit line per action, with the remote address.
      for (String action : new String[] {"cancel", "pause", "resume", "dlq-requeue"}) {
        assertThat(dashboard.err)
            .as("audit of %s", action)
            .anyMatch(
                l ->
                    l.contains("action=" + action + " queue=" + q)
                        && l.contains("remote=127.0.0.1"));
      }

      // A killed worker process leaves the workers page once its heartbeat (TTL 15 s) expires.
      Process kill = new ProcessBuilder("kill", "-9", pid).inheritIO().start();
      assertThat(kill.waitFor()).isZero();
      await()
          .atMost(Dq.PATIENCE)
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                open("/workers");
                assertThat(browser.findElements(By.cssSelector("tr[data-pid='" + pid + "']")))
                    .isEmpty();
              });
    }
  }

  @Test
  void pauseWithDurationAndReason_showsWhoWhyUntil_andABadDurationIsNamed() throws Exception {
    open("/queues/held");
    browser.findElement(By.id("pause-for")).sendKeys("soon");
    browser.findElement(By.id("pause")).click();
    await()
        .atMost(Dq.PATIENCE)
        .ignoreExceptions()
        .until(() -> text("#message").contains("\"soon\""));
    assertThat(text("#message")).startsWith("for must be");
    assertThat(broker.pauseOf("held")).isEmpty();

    open("/queues/held");
    browser.findElement(By.id("pause-for")).sendKeys("2h");
    browser.findElement(By.id("pause-reason")).sendKeys("deploy " + XSS);
    browser.findElement(By.id("pause")).click();
    await().atMost(Dq.PATIENCE).ignoreExceptions().until(() -> text("#paused").equals("Paused"));
    assertThat(text("#pause-reason")).isEqualTo("deploy " + XSS);
    assertThat(text("#pause-by")).isEqualTo("dashboard@127.0.0.1");
    Instant until = broker.pauseOf("held").orElseThrow().until().orElseThrow();
    assertThat(text("#pause-until")).isEqualTo(until.toString());
    assertThat(Duration.between(Instant.now(), until))
        .isBetween(Duration.ofMinutes(110), Duration.ofMinutes(121));
    assertThatThrownBy(() -> browser.switchTo().alert())
        .isInstanceOf(NoAlertPresentException.class);
    shoot("queue-paused");
  }

  @Test
  void cronScheduleAddedAndRemovedFromThePage_aBadSpecIsNamed() throws Exception {
    open("/cron");
    browser.findElement(By.id("add-name")).sendKeys("nightly.cleanup");
    WebElement queue = browser.findElement(By.id("add-queue"));
    queue.clear();
    queue.sendKeys("maint");
    browser.findElement(By.id("add-cron")).sendKeys("0 25 * * *");
    browser.findElement(By.id("add-type")).sendKeys("echo");
    browser.findElement(By.id("add")).click();
    await()
        .atMost(Dq.PATIENCE)
        .ignoreExceptions()
        .until(() -> browser.getTitle().startsWith("Bad request"));
    assertThat(text("#message")).contains("cron").contains("25");
    assertThat(broker.schedules().list("maint")).isEmpty();

    open("/cron");
    browser.findElement(By.id("add-name")).sendKeys("nightly.cleanup");
    queue = browser.findElement(By.id("add-queue"));
    queue.clear();
    queue.sendKeys("maint");
    browser.findElement(By.id("add-cron")).sendKeys("0 3 * * *");
    WebElement zone = browser.findElement(By.id("add-zone"));
    zone.clear();
    zone.sendKeys("Europe/Berlin");
    browser.findElement(By.id("add-type")).sendKeys("echo");
    browser.findElement(By.id("add")).click();
    await()
        .atMost(Dq.PATIENCE)
        .ignoreExceptions()
        .until(
            () ->
                !browser
                    .findElements(By.cssSelector("tr[data-schedule='nightly.cleanup']"))
                    .isEmpty());
    assertThat(text("tr[data-schedule='nightly.cleanup']"))
        .contains("maint")
        .contains("0 3 * * * (Europe/Berlin)");
    assertThat(broker.schedules().get("maint", "nightly.cleanup")).isPresent();
    shoot("cron-added");

    browser
        .findElement(By.cssSelector("tr[data-schedule='nightly.cleanup'] button#remove"))
        .click();
    await()
        .atMost(Dq.PATIENCE)
        .ignoreExceptions()
        .until(
            () ->
                browser
                    .findElements(By.cssSelector("tr[data-schedule='nightly.cleanup']"))
                    .isEmpty());
    assertThat(broker.schedules().get("maint", "nightly.cleanup")).isEmpty();
    await()
        .atMost(Dq.PATIENCE)
        .untilAsserted(
            () ->
                assertThat(dashboard.err)
                    .anyMatch(l -> l.contains("action=cron-add queue=maint"))
                    .anyMatch(l -> l.contains("action=cron-remove queue=maint")));
  }
}
