package dev.dq.app.dashboard;

import static dev.dq.app.dashboard.Html.escape;

import dev.dq.app.config.BadSettingException;
import dev.dq.app.config.Durations;
import dev.dq.app.ops.LimitCommand;
import dev.dq.core.limit.Limit;
import dev.dq.core.limit.LimitTarget;
import dev.dq.core.limit.Limits;
import dev.dq.core.port.Broker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limits page and the limits in a queue's answer: every rate and concurrency limit {@code dq
 * limit list} shows, and the operations of {@code dq limit set|remove} ({@link LimitCommand} checks
 * the form as it checks its options); each operation writes one audit line.
 */
final class DashboardLimits {
  private static final Logger audit = LoggerFactory.getLogger("dev.dq.dashboard.audit");

  private final Broker broker;

  DashboardLimits(Broker broker) {
    this.broker = broker;
  }

  /** Every limit, as {@code dq limit list --json} prints them. */
  Map<String, Object> list() {
    return Map.of("limits", rows(limits().limits()));
  }

  /**
   * The limits that govern tasks of {@code queue}: its own, and every type's (a type's limit counts
   * its tasks in every queue). Empty where the broker keeps none.
   */
  List<Map<String, Object>> of(String queue) {
    if (!(broker instanceof Limits l)) {
      return List.of();
    }
    return rows(
        l.limits().stream()
            .filter(
                x ->
                    x.target().scope() == LimitTarget.Scope.TYPE
                        || x.target().equals(LimitTarget.queue(queue)))
            .toList());
  }

  /**
   * As {@code dq limit set}: form fields {@code scope} ({@code type} or {@code queue}), {@code
   * name}, {@code rate} ({@code N/DURATION}), {@code burst}, {@code concurrency}; empty means not
   * given.
   */
  String set(Map<String, String> form, String remote) {
    String scope = form.getOrDefault("scope", "");
    String name = given(form.get("name"));
    Limit limit;
    try {
      if (!scope.equals("type") && !scope.equals("queue")) {
        throw new BadSettingException("scope must be type or queue, got \"" + scope + "\"");
      }
      if (name == null) {
        throw new BadSettingException("name: give the " + scope + " to limit");
      }
      limit =
          LimitCommand.limit(
              scope.equals("type") ? name : null,
              scope.equals("queue") ? name : null,
              given(form.get("rate")),
              given(form.get("burst")),
              given(form.get("concurrency")));
    } catch (BadSettingException e) {
      // The checks are dq limit set's, whose messages name its flags; here they are form fields.
      throw new IllegalArgumentException(e.getMessage().replace("--", ""), e);
    }
    limits().setLimit(limit);
    log("limit-set", limit.target(), remote, LimitCommand.text(limit));
    return "set " + LimitCommand.text(limit);
  }

  /** As {@code dq limit remove}: form field {@code target}, e.g. {@code type:email}. */
  String remove(Map<String, String> form, String remote) {
    LimitTarget target = LimitTarget.parse(form.getOrDefault("target", ""));
    boolean removed = limits().removeLimit(target);
    log("limit-remove", target, remote, removed ? "removed" : "had none");
    return removed ? "removed limit on " + target.key() : "no limit on " + target.key();
  }

  /** The page body: the table, a remove button per limit, the set form. */
  static String page(List<Map<String, Object>> limits, DashboardPages pages) {
    StringBuilder b = new StringBuilder("<h1>Limits</h1>\n");
    b.append(table(limits, pages));
    b.append(
        pages.form(
            "/limits/set",
            "<label>Scope <select name=\"scope\" id=\"limit-scope\"><option>type</option>"
                + "<option>queue</option></select></label> "
                + "<label>Name <input name=\"name\" id=\"limit-name\" required></label> "
                + "<label>Rate <input name=\"rate\" id=\"limit-rate\" placeholder=\"50/1s\"></label> "
                + "<label>Burst <input name=\"burst\" id=\"limit-burst\" placeholder=\"0\"></label> "
                + "<label>Concurrency <input name=\"concurrency\" id=\"limit-concurrency\">"
                + "</label> ",
            "Set limit",
            "limit-set"));
    return b.toString();
  }

  /** The limits as a table; with {@code pages} given (the limits page) each has a remove button. */
  static String table(List<Map<String, Object>> limits, DashboardPages pages) {
    StringBuilder b = new StringBuilder();
    b.append("<table id=\"limits\"><thead><tr><th>Target</th><th>Rate</th><th>Burst</th>")
        .append("<th>Concurrency</th><th></th></tr></thead><tbody>\n");
    for (Map<String, Object> l : limits) {
      String target = String.valueOf(l.get("target"));
      b.append("<tr data-target=\"").append(escape(target)).append("\"><td>");
      b.append(escape(target)).append("</td><td>");
      b.append(
          l.get("per_ms") instanceof Number per
              ? l.get("rate") + "/" + Durations.format(Duration.ofMillis(per.longValue()))
              : "-");
      b.append("</td><td>").append(l.containsKey("burst") ? l.get("burst") : "-");
      b.append("</td><td>").append(l.containsKey("concurrency") ? l.get("concurrency") : "-");
      b.append("</td><td>");
      if (pages != null) {
        b.append(
            pages.form(
                "/limits/remove",
                "<input type=\"hidden\" name=\"target\" value=\"" + escape(target) + "\">",
                "Remove",
                "remove-" + target));
      }
      b.append("</td></tr>\n");
    }
    return b.append("</tbody></table>\n").toString();
  }

  private static List<Map<String, Object>> rows(List<Limit> limits) {
    return limits.stream().map(LimitCommand::json).toList();
  }

  private Limits limits() {
    if (!(broker instanceof Limits l)) {
      throw new DashboardData.Unsupported("this broker keeps no limits");
    }
    return l;
  }

  private static String given(String raw) {
    return raw == null || raw.isBlank() ? null : raw.strip();
  }

  private static void log(String action, LimitTarget target, String remote, String result) {
    audit.info("action={} target={} remote={} result=\"{}\"", action, target.key(), remote, result);
  }
}
