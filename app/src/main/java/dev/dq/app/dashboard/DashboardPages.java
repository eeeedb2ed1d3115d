package dev.dq.app.dashboard;

import static dev.dq.app.dashboard.Html.escape;

import dev.dq.app.ops.QueueRetentionCommand;
import dev.dq.core.lifecycle.TaskState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server-rendered HTML pages, built from the same maps the API answers with. Every value from
 * the broker goes through {@link Html#escape}; no script, one stylesheet, the chart is inline SVG.
 */
final class DashboardPages {
  private final String csrf;
  private final boolean readOnly;

  /**
   * @param csrf the token of every action form
   * @param readOnly hide every action
   */
  DashboardPages(String csrf, boolean readOnly) {
    this.csrf = csrf;
    this.readOnly = readOnly;
  }

  String overview(Map<String, Object> data) {
    StringBuilder b = new StringBuilder();
    b.append("<h1>Overview</h1>\n");
    b.append("<p class=\"muted\">at ").append(escape(str(data.get("time")))).append("</p>\n");
    b.append("<h2>Processed and failed per minute, last hour</h2>\n");
    b.append(chart(list(data.get("throughput"))));
    b.append("<h2>Queues</h2>\n<table id=\"queues\"><thead><tr><th>Queue</th><th>Ready</th>")
        .append(
            "<th>Active</th><th>Delayed</th><th>Dead</th><th>Paused</th></tr></thead><tbody>\n");
    for (Map<String, Object> q : list(data.get("queues"))) {
      String name = str(q.get("queue"));
      b.append("<tr data-queue=\"")
          .append(escape(name))
          .append("\"><td><a href=\"/queues/")
          .append(url(name))
          .append("\">")
          .append(escape(name))
          .append("</a></td>")
          .append(td("ready", q.get("ready")))
          .append(td("active", q.get("active")))
          .append(td("delayed", q.get("delayed")))
          .append("<td class=\"dead\"><a href=\"/queues/")
          .append(url(name))
          .append("/dead\">")
          .append(q.get("dead"))
          .append("</a></td>")
          .append(td("paused", Boolean.TRUE.equals(q.get("paused")) ? "yes" : "no"))
          .append("</tr>\n");
    }
    b.append("</tbody></table>\n");
    return layout("Overview", b);
  }

  /**
   * @param pause how the queue is paused ({@code paused}, {@code by}, {@code reason}, {@code
   *     since}, {@code until})
   * @param retention its retention as the API answers it; empty when the broker keeps none
   */
  String queue(
      String queue,
      Map<String, Object> pause,
      Map<String, Object> retention,
      Map<String, Object> page) {
    StringBuilder b = new StringBuilder();
    b.append("<h1>Queue ").append(escape(queue)).append("</h1>\n");
    boolean paused = Boolean.TRUE.equals(pause.get("paused"));
    String base = "/queues/" + url(queue);
    if (paused) {
      b.append("<p id=\"paused\">Paused</p>\n<dl id=\"pause-info\">")
          .append(dd("by", pause.get("by")))
          .append(dd("reason", pause.get("reason")))
          .append(dd("since", pause.get("since")))
          .append(dd("until", pause.get("until") == null ? "resumed by hand" : pause.get("until")))
          .append("</dl>\n");
      b.append(form(base + "/resume", "Resume", "resume"));
    } else {
      b.append("<p id=\"paused\">Running</p>\n");
      b.append(
          form(
              base + "/pause",
              "<label>for <input name=\"for\" id=\"pause-for\" size=\"6\" placeholder=\"30m\">"
                  + "</label> <label>reason <input name=\"reason\" id=\"pause-reason\" size=\"30\""
                  + " maxlength=\"1024\"></label> ",
              "Pause",
              "pause"));
    }
    if (!retention.isEmpty()) {
      b.append(retention(base, retention));
    }
    String state = str(page.get("state"));
    b.append("<nav class=\"states\">");
    for (TaskState s :
        List.of(
            TaskState.READY,
            TaskState.ACTIVE,
            TaskState.DELAYED,
            TaskState.RETRYING,
            TaskState.SUCCEEDED,
            TaskState.CANCELLED)) {
      String n = s.name().toLowerCase(Locale.ROOT);
      b.append(
          n.equals(state)
              ? "<strong>" + n + "</strong> "
              : "<a href=\"/queues/" + url(queue) + "?state=" + n + "\">" + n + "</a> ");
    }
    b.append("<a href=\"/queues/").append(url(queue)).append("/dead\">dead</a></nav>\n");
    if (page.get("limits") instanceof List<?> limits && !limits.isEmpty()) {
      b.append("<h2>Limits</h2>\n").append(DashboardLimits.table(list(limits), null));
      b.append("<p><a href=\"/limits\">set or remove limits</a></p>\n");
    }
    b.append("<table id=\"tasks\"><thead><tr><th>Id</th><th>Type</th><th>Attempt</th>")
        .append("<th>Created</th></tr></thead><tbody>\n");
    for (Map<String, Object> t : list(page.get("tasks"))) {
      String id = str(t.get("id"));
      b.append("<tr><td><a href=\"/queues/")
          .append(url(queue))
          .append("/tasks/")
          .append(url(id))
          .append("\">")
          .append(escape(id))
          .append("</a></td><td>")
          .append(escape(str(t.get("type"))))
          .append("</td><td>")
          .append(t.get("attempt"))
          .append("</td><td>")
          .append(escape(str(t.get("created_at"))))
          .append("</td></tr>\n");
    }
    b.append("</tbody></table>\n");
    b.append(pager("/queues/" + url(queue) + "?state=" + url(state) + "&amp;", page));
    return layout("Queue " + queue, b);
  }

  String task(Map<String, Object> t) {
    String queue = str(t.get("queue"));
    String id = str(t.get("id"));
    String state = str(t.get("state"));
    StringBuilder b = new StringBuilder();
    b.append("<h1>Task ").append(escape(id)).append("</h1>\n<dl>");
    for (String k :
        List.of(
            "state",
            "queue",
            "type",
            "attempt",
            "priority",
            "created_at",
            "started_at",
            "finished_at",
            "worker")) {
      if (t.containsKey(k)) {
        b.append("<dt>")
            .append(k)
            .append("</dt><dd id=\"")
            .append(k)
            .append("\">")
            .append(escape(str(t.get(k))))
            .append("</dd>");
      }
    }
    b.append("</dl>\n");
    if (t.get("error") instanceof Map<?, ?> e) {
      b.append("<h2>Last error</h2><pre id=\"error\">")
          .append(
              escape(
                  e.get("error_type")
                      + ": "
                      + e.get("message")
                      + " (attempt "
                      + e.get("attempts")
                      + " at "
                      + e.get("failed_at")
                      + ")"))
          .append("</pre>\n");
    }
    b.append(headersAndPayload(t));
    if (t.containsKey("result")) {
      b.append("<h2>Result (")
          .append(t.get("result_bytes"))
          .append(" bytes)</h2><pre id=\"result\">")
          .append(escape(str(t.get("result"))))
          .append("</pre>\n");
    }
    if (!state.equals("succeeded") && !state.equals("cancelled") && !state.equals("dead")) {
      b.append(form("/queues/" + url(queue) + "/tasks/" + url(id) + "/cancel", "Cancel", "cancel"));
    }
    String base = "/queues/" + url(queue) + "/tasks/" + url(id);
    if (state.equals("delayed") || state.equals("retrying")) {
      b.append(form(base + "/run-now", "Run now", "run-now"));
    }
    if (!state.equals("active") && !state.equals("dead")) {
      b.append(form(base + "/delete", "Delete", "delete"));
    }
    b.append("<p><a href=\"/queues/")
        .append(url(queue))
        .append("\">back to ")
        .append(escape(queue))
        .append("</a></p>");
    return layout("Task " + id, b);
  }

  String limits(Map<String, Object> data) {
    return layout("Limits", DashboardLimits.page(list(data.get("limits")), this));
  }

  String deadLetters(String queue, Map<String, Object> page) {
    StringBuilder b = new StringBuilder();
    String type = page.get("type") == null ? "" : str(page.get("type"));
    String error = page.get("error") == null ? "" : str(page.get("error"));
    String deadBase = "/queues/" + url(queue) + "/dead";
    b.append("<h1>Dead letters of ").append(escape(queue)).append("</h1>\n");
    b.append("<form method=\"get\" id=\"dead-filter\" action=\"")
        .append(deadBase)
        .append("\">Type <input name=\"type\" id=\"filter-type\" maxlength=\"256\" value=\"")
        .append(escape(type))
        .append(
            "\"> Error text <input name=\"error\" id=\"filter-error\" maxlength=\"256\" value=\"")
        .append(escape(error))
        .append("\"> <button type=\"submit\" id=\"filter\">Filter</button></form>\n");
    b.append("<table id=\"dead\"><thead><tr><th>Id</th><th>Type</th><th>Attempts</th>")
        .append("<th>Failed at</th><th>Error</th><th></th></tr></thead><tbody>\n");
    for (Map<String, Object> d : list(page.get("dead_letters"))) {
      String id = str(d.get("id"));
      String base = "/queues/" + url(queue) + "/dead/" + url(id);
      b.append("<tr><td><a href=\"")
          .append(base)
          .append("\">")
          .append(escape(id))
          .append("</a></td><td>")
          .append(escape(str(d.get("type"))))
          .append("</td><td>")
          .append(d.get("attempts"))
          .append("</td><td>")
          .append(escape(str(d.get("failed_at"))))
          .append("</td><td>")
          .append(escape(d.get("error_type") + ": " + d.get("message")))
          .append("</td><td>")
          .append(form(base + "/requeue", "Requeue", "requeue"))
          .append(form(base + "/delete", "Delete", "delete"))
          .append("</td></tr>\n");
    }
    b.append("</tbody></table>\n");
    if (page.containsKey("scanned")) {
      b.append(cursorPager(deadBase, type, error, page));
    } else {
      b.append(pager(deadBase + "?", page));
    }
    b.append(bulkForms(deadBase, type, error, page));
    return layout("Dead letters of " + queue, b);
  }

  String deadLetter(Map<String, Object> d) {
    String queue = str(d.get("queue"));
    String id = str(d.get("id"));
    String base = "/queues/" + url(queue) + "/dead/" + url(id);
    StringBuilder b = new StringBuilder();
    b.append("<h1>Dead letter ").append(escape(id)).append("</h1>\n<dl>");
    for (String k :
        List.of("queue", "type", "attempts", "failed_at", "error_type", "message", "created_at")) {
      b.append("<dt>").append(k).append("</dt><dd>").append(escape(str(d.get(k)))).append("</dd>");
    }
    b.append("</dl>\n").append(headersAndPayload(d));
    b.append(form(base + "/requeue", "Requeue", "requeue"))
        .append(form(base + "/delete", "Delete", "delete"));
    return layout("Dead letter " + id, b);
  }

  String workers(Map<String, Object> data) {
    StringBuilder b = new StringBuilder();
    b.append("<h1>Workers</h1>\n<table id=\"workers\"><thead><tr><th>Host</th><th>Pid</th>")
        .append("<th>Version</th><th>Queues</th><th>Busy</th><th>Started</th>")
        .append("<th>Last heartbeat</th><th>Running</th></tr></thead><tbody>\n");
    for (Map<String, Object> w : list(data.get("workers"))) {
      b.append("<tr data-pid=\"")
          .append(w.get("pid"))
          .append("\"><td>")
          .append(escape(str(w.get("host"))))
          .append("</td><td>")
          .append(w.get("pid"))
          .append("</td><td>")
          .append(escape(str(w.get("version"))))
          .append("</td><td>")
          .append(escape(String.join(", ", strings(w.get("queues")))))
          .append("</td><td>")
          .append(w.get("slots_busy"))
          .append('/')
          .append(w.get("slots_total"))
          .append("</td><td>")
          .append(escape(str(w.get("started_at"))))
          .append("</td><td>")
          .append(escape(str(w.get("last_heartbeat"))))
          .append("</td><td>");
      for (Map<String, Object> r : list(w.get("running"))) {
        String q = str(r.get("queue"));
        String id = str(r.get("id"));
        b.append("<a href=\"/queues/")
            .append(url(q))
            .append("/tasks/")
            .append(url(id))
            .append("\">")
            .append(escape(q + "/" + id))
            .append("</a> ");
      }
      b.append("</td></tr>\n");
    }
    b.append("</tbody></table>\n");
    return layout("Workers", b);
  }

  String cron(Map<String, Object> data) {
    StringBuilder b = new StringBuilder();
    b.append("<h1>Cron schedules</h1>\n<table id=\"cron\"><thead><tr><th>Queue</th><th>Name</th>")
        .append("<th>When</th><th>Type</th><th>Next tick</th><th>Last fire</th><th></th>")
        .append("</tr></thead><tbody>\n");
    for (Map<String, Object> s : list(data.get("schedules"))) {
      String q = str(s.get("queue"));
      String name = str(s.get("name"));
      String base = "/cron/" + url(q) + "/" + url(name);
      boolean paused = Boolean.TRUE.equals(s.get("paused"));
      b.append("<tr data-schedule=\"")
          .append(escape(name))
          .append("\"><td>")
          .append(escape(q))
          .append("</td><td><a href=\"")
          .append(escape(base))
          .append("\">")
          .append(escape(name))
          .append("</a></td><td>")
          .append(escape(str(s.get("spec")) + " (" + s.get("zone") + ")"))
          .append("</td><td>")
          .append(escape(str(s.get("type"))))
          .append("</td><td class=\"next\">")
          .append(paused ? "paused" : escape(str(s.get("next_tick"))))
          .append("</td><td>")
          .append(
              s.containsKey("last_tick")
                  ? escape(
                      s.get("last_tick") + " " + s.get("last_outcome") + " " + s.get("last_task"))
                  : "never")
          .append("</td><td>")
          .append(form(base + "/trigger", "Trigger", "trigger"))
          .append(
              paused
                  ? form(base + "/resume", "Resume", "resume")
                  : form(base + "/pause", "Pause", "pause"))
          .append(form(base + "/remove", "Remove", "remove"))
          .append("</td></tr>\n");
    }
    b.append("</tbody></table>\n");
    if (!readOnly) {
      b.append("<h2>Add a schedule</h2>\n")
          .append(
              form(
                  "/cron/add",
                  input("add-", "name", "")
                      + input("add-", "queue", "default")
                      + input("add-", "cron", "")
                      + input("add-", "every", "")
                      + input("add-", "zone", "UTC")
                      + input("add-", "type", "")
                      + input("add-", "payload", ""),
                  "Add",
                  "add"));
      b.append(
          "<p class=\"muted\">Give a cron expression (5 fields, or 6 with seconds first) or an"
              + " interval such as 5m; as dq cron add.</p>\n");
    }
    return layout("Cron schedules", b);
  }

  /** One schedule, as {@code dq cron show}, with its latest fires as {@code dq cron history}. */
  String schedule(Map<String, Object> s) {
    String q = str(s.get("queue"));
    String name = str(s.get("name"));
    String base = "/cron/" + url(q) + "/" + url(name);
    boolean paused = Boolean.TRUE.equals(s.get("paused"));
    StringBuilder b =
        new StringBuilder("<h1>Schedule ")
            .append(escape(name))
            .append(" on ")
            .append(escape(q))
            .append("</h1>\n<table id=\"schedule\"><tbody>\n");
    for (Map.Entry<String, Object> e : s.entrySet()) {
      if (!e.getKey().equals("history")) {
        b.append("<tr><th>")
            .append(escape(e.getKey()))
            .append("</th><td>")
            .append(escape(str(e.getValue())))
            .append("</td></tr>\n");
      }
    }
    b.append("</tbody></table>\n")
        .append(form(base + "/trigger", "Trigger", "trigger"))
        .append(
            paused
                ? form(base + "/resume", "Resume", "resume")
                : form(base + "/pause", "Pause", "pause"))
        .append("<h2>Latest fires</h2>\n<table id=\"fires\"><thead><tr><th>Tick</th>")
        .append("<th>Outcome</th><th>Task</th></tr></thead><tbody>\n");
    for (Map<String, Object> f : list(s.get("history"))) {
      String task = str(f.get("task"));
      b.append("<tr><td>")
          .append(escape(str(f.get("tick"))))
          .append("</td><td>")
          .append(escape(str(f.get("outcome"))))
          .append("</td><td>")
          .append(
              task.isEmpty() || task.equals("null")
                  ? ""
                  : "<a href=\""
                      + escape("/queues/" + url(q) + "/tasks/" + url(task))
                      + "\">"
                      + escape(task)
                      + "</a>")
          .append("</td></tr>\n");
    }
    b.append("</tbody></table>\n");
    return layout("Schedule " + name, b);
  }

  /** A short page saying what an action did or why a request failed. */
  String message(String title, String text) {
    return layout(
        title,
        new StringBuilder("<h1>")
            .append(escape(title))
            .append("</h1>\n<p id=\"message\">")
            .append(escape(text))
            .append("</p>\n"));
  }

  String login(boolean failed) {
    StringBuilder b = new StringBuilder("<h1>Log in</h1>\n");
    if (failed) {
      b.append("<p id=\"message\">Wrong token.</p>\n");
    }
    b.append("<form method=\"post\" action=\"/login\"><label>Token <input type=\"password\" ")
        .append("name=\"token\" autocomplete=\"off\"></label> <button type=\"submit\">Log in")
        .append("</button></form>\n");
    return layout("Log in", b);
  }

  private String retention(String base, Map<String, Object> r) {
    String finished = QueueRetentionCommand.human(millis(r.get("finished_ms")));
    String dead = QueueRetentionCommand.human(millis(r.get("dead_ms")));
    StringBuilder b = new StringBuilder("<h2>Retention</h2>\n<p id=\"retention-now\">");
    b.append("finished tasks for ")
        .append(escape(finished))
        .append(" (at most ")
        .append(r.get("finished_max"))
        .append("), dead letters for ")
        .append(escape(dead))
        .append(" (at most ")
        .append(r.get("dead_max"))
        .append(")</p>\n");
    b.append(
        form(
            base + "/retention",
            input("finished-for", finished)
                + input("finished-max", str(r.get("finished_max")))
                + input("dead-for", dead)
                + input("dead-max", str(r.get("dead_max"))),
            "Set retention",
            "retention"));
    return b.toString();
  }

  private static java.time.Duration millis(Object ms) {
    return java.time.Duration.ofMillis(((Number) ms).longValue());
  }

  private static String input(String name, String value) {
    return input("", name, value);
  }

  /** A labelled text field; its id is {@code idPrefix + name}. */
  private static String input(String idPrefix, String name, String value) {
    return "<label>"
        + name
        + " <input name=\""
        + name
        + "\" id=\""
        + idPrefix
        + name
        + "\" size=\"8\" value=\""
        + escape(value)
        + "\"></label> ";
  }

  private static String dd(String key, Object value) {
    return "<dt>" + key + "</dt><dd id=\"pause-" + key + "\">" + escape(str(value)) + "</dd>";
  }

  private String headersAndPayload(Map<String, Object> t) {
    StringBuilder b = new StringBuilder();
    if (t.get("headers") instanceof Map<?, ?> h && !h.isEmpty()) {
      b.append("<h2>Headers</h2><dl id=\"headers\">");
      h.forEach(
          (k, v) ->
              b.append("<dt>")
                  .append(escape(str(k)))
                  .append("</dt><dd>")
                  .append(escape(str(v)))
                  .append("</dd>"));
      b.append("</dl>\n");
    }
    if (t.containsKey("payload")) {
      b.append("<h2>Payload (")
          .append(t.get("payload_bytes"))
          .append(" bytes")
          .append(Boolean.TRUE.equals(t.get("payload_truncated")) ? ", cut" : "")
          .append(")</h2><pre id=\"payload\">")
          .append(escape(str(t.get("payload"))))
          .append("</pre>\n");
    }
    return b.toString();
  }

  private String form(String action, String label, String name) {
    return form(action, "", label, name);
  }

  /**
   * A POST form to {@code action} with the CSRF token, {@code fields} (HTML, escaped by the caller)
   * and one submit button; nothing when read-only.
   */
  String form(String action, String fields, String label, String name) {
    if (readOnly) {
      return "";
    }
    return "<form method=\"post\" class=\"action\" action=\""
        + action
        + "\">"
        + "<input type=\"hidden\" name=\"csrf\" value=\""
        + escape(csrf)
        + "\">"
        + fields
        + "<button type=\"submit\" name=\"do\" value=\""
        + escape(name)
        + "\" id=\""
        + escape(name)
        + "\">"
        + label
        + "</button></form>";
  }

  /** "shown; scanned; next" for a filtered step, which pages by cursor. */
  private static String cursorPager(
      String base, String type, String error, Map<String, Object> page) {
    StringBuilder b = new StringBuilder("<p class=\"pager\" id=\"dead-pager\">");
    b.append(list(page.get("dead_letters")).size())
        .append(" shown; scanned ")
        .append(page.get("scanned"))
        .append(" of ")
        .append(page.get("total"))
        .append(" dead letters");
    Object next = page.get("next_cursor");
    if (next == null) {
      b.append("; end");
    } else {
      b.append("; scanned up to sequence ")
          .append(escape(str(next)))
          .append(" <a id=\"next\" href=\"")
          .append(base)
          .append(escape(filterQuery(Map.of("type", type, "error", error))))
          .append(type.isEmpty() && error.isEmpty() ? "?" : "&amp;")
          .append("cursor=")
          .append(url(str(next)))
          .append("&amp;limit=")
          .append(page.get("limit"))
          .append("\">next</a>");
    }
    return b.append("</p>\n").toString();
  }

  /**
   * The bulk actions, carrying the filter and the mark of this page: they act on the matches that
   * were dead when it was read, not on later deaths.
   */
  private String bulkForms(String base, String type, String error, Map<String, Object> page) {
    if (readOnly) {
      return "";
    }
    int seen = list(page.get("dead_letters")).size();
    String what = type.isEmpty() && error.isEmpty() ? "all" : "all matching the filter";
    String hidden =
        "<input type=\"hidden\" name=\"csrf\" value=\""
            + escape(csrf)
            + "\"><input type=\"hidden\" name=\"type\" value=\""
            + escape(type)
            + "\"><input type=\"hidden\" name=\"error\" value=\""
            + escape(error)
            + "\"><input type=\"hidden\" name=\"mark\" value=\""
            + escape(str(page.get("mark")))
            + "\">";
    return "<p class=\"note\">Bulk actions act on every entry"
        + (type.isEmpty() && error.isEmpty() ? "" : " matching the filter")
        + " that was dead when this page was read (mark "
        + escape(str(page.get("mark")))
        + "), on every page; entries that died since stay.</p>\n"
        + "<form method=\"post\" class=\"action\" action=\""
        + base
        + "/requeue-all\">"
        + hidden
        + "<button type=\"submit\" id=\"requeue-all\">Requeue "
        + what
        + " ("
        + seen
        + " seen)</button></form>"
        + "<form method=\"post\" class=\"action\" action=\""
        + base
        + "/purge\">"
        + hidden
        + "<button type=\"submit\" id=\"purge-all\">Delete "
        + what
        + " ("
        + seen
        + " seen)</button></form>\n";
  }

  /** {@code ?type=..&error=..} of the filter fields given (empty when none), URL-encoded. */
  static String filterQuery(Map<String, String> fields) {
    StringBuilder b = new StringBuilder();
    for (String key : List.of("type", "error")) {
      String v = fields.get(key);
      if (v != null && !v.isEmpty()) {
        b.append(b.length() == 0 ? '?' : '&').append(key).append('=').append(url(v));
      }
    }
    return b.toString();
  }

  private static String pager(String base, Map<String, Object> page) {
    long offset = ((Number) page.get("offset")).longValue();
    int limit = ((Number) page.get("limit")).intValue();
    long total = ((Number) page.get("total")).longValue();
    StringBuilder b = new StringBuilder("<p class=\"pager\">");
    b.append(
        total == 0
            ? "none"
            : (offset + 1) + "–" + Math.min(total, offset + limit) + " of " + total);
    if (offset > 0) {
      b.append(" <a href=\"")
          .append(base)
          .append("offset=")
          .append(Math.max(0, offset - limit))
          .append("&amp;limit=")
          .append(limit)
          .append("\">previous</a>");
    }
    if (offset + limit < total) {
      b.append(" <a href=\"")
          .append(base)
          .append("offset=")
          .append(offset + limit)
          .append("&amp;limit=")
          .append(limit)
          .append("\">next</a>");
    }
    return b.append("</p>\n").toString();
  }

  /** Processed (bars) and failed (red bars) per minute, drawn on the server. */
  static String chart(List<Map<String, Object>> minutes) {
    long max = 1;
    for (Map<String, Object> m : minutes) {
      max =
          Math.max(
              max,
              ((Number) m.get("processed")).longValue() + ((Number) m.get("failed")).longValue());
    }
    int w = 600;
    int h = 120;
    int n = Math.max(1, minutes.size());
    double bar = (double) w / n;
    StringBuilder b = new StringBuilder();
    b.append("<svg id=\"chart\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(h + 14)
        .append("\" viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(h + 14)
        .append("\" role=\"img\" aria-label=\"processed and failed per minute\">");
    b.append("<rect x=\"0\" y=\"0\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(h)
        .append("\" fill=\"#f7f7f7\" stroke=\"#ccc\"/>");
    for (int i = 0; i < minutes.size(); i++) {
      Map<String, Object> m = minutes.get(i);
      long ok = ((Number) m.get("processed")).longValue();
      long bad = ((Number) m.get("failed")).longValue();
      double okH = (double) ok * h / max;
      double badH = (double) bad * h / max;
      String x = String.format(Locale.ROOT, "%.1f", i * bar);
      String bw = String.format(Locale.ROOT, "%.1f", Math.max(1, bar - 1));
      b.append("<g><title>")
          .append(escape(str(m.get("minute"))))
          .append(": ")
          .append(ok)
          .append(" processed, ")
          .append(bad)
          .append(" failed</title>");
      b.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%s\" y=\"%.1f\" width=\"%s\" height=\"%.1f\" fill=\"#3a7\"/>",
              x,
              h - okH,
              bw,
              okH));
      b.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%s\" y=\"%.1f\" width=\"%s\" height=\"%.1f\" fill=\"#c33\"/>",
              x,
              h - okH - badH,
              bw,
              badH));
      b.append("</g>");
    }
    b.append("<text x=\"0\" y=\"")
        .append(h + 12)
        .append("\" font-size=\"10\">max ")
        .append(max)
        .append("/min</text></svg>\n");
    return b.toString();
  }

  private static String layout(String title, CharSequence body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + escape(title)
        + " · dq</title><link rel=\"stylesheet\" href=\"/static/dq.css\"></head>"
        + "<body><header><a href=\"/\">dq</a> <a href=\"/\">Overview</a> "
        + "<a href=\"/workers\">Workers</a> <a href=\"/cron\">Cron</a> "
        + "<a href=\"/limits\">Limits</a></header><main>\n"
        + body
        + "</main></body></html>\n";
  }

  private static String td(String cls, Object v) {
    return "<td class=\"" + cls + "\">" + escape(str(v)) + "</td>";
  }

  static String url(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String str(Object o) {
    return String.valueOf(o);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object o) {
    return (List<Map<String, Object>>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object o) {
    return (List<String>) o;
  }
}
