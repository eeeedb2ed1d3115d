package dev.dq.app.dashboard;

import dev.dq.app.config.SettingResolver;
import dev.dq.core.task.Names;
import dev.dq.core.task.TaskQueueException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one map from an action's path to its operation: the browser's form POST ({@code
 * /queues/Q/pause}) and the API's JSON POST ({@code /api/queues/Q/pause}) find the same route, so
 * an action added here answers in both forms.
 *
 * <p>A pattern is a path of literal segments and named ones in braces: {@code {queue}} must be a
 * queue name, {@code {schedule}} a schedule name, any other name is taken as it is (the operation
 * checks it).
 */
final class ActionRoutes {

  /**
   * What an operation gets.
   *
   * @param path the named segments of the path, decoded and checked
   * @param fields the form's fields or the JSON body's members (as text); the CSRF field removed
   * @param remote the caller's address, for the audit line
   */
  record Call(Map<String, String> path, Map<String, String> fields, String remote) {
    Call {
      path = Map.copyOf(path);
      fields = Map.copyOf(fields);
    }

    /** A named segment of the path. */
    String at(String name) {
      return path.get(name);
    }

    /** A field, if given and not blank. */
    Optional<String> field(String name) {
      return Optional.ofNullable(fields.get(name)).filter(v -> !v.isBlank());
    }
  }

  /** An action: returns what happened, in a line for the page or the API's {@code result}. */
  @FunctionalInterface
  interface Operation {
    String run(Call call) throws InterruptedException;
  }

  private record Route(
      String name,
      List<String> pattern,
      String back,
      Function<Map<String, String>, String> query,
      Operation operation) {}

  /**
   * A route that matches a path.
   *
   * @param name the action's name (the pattern's last segment)
   * @param path its named segments
   * @param operation what it does
   * @param backPattern the page to return to, with the named segments still in braces
   * @param query the query string of that page, from the fields
   */
  record Match(
      String name,
      Map<String, String> path,
      Operation operation,
      String backPattern,
      Function<Map<String, String>, String> query) {
    /** Runs the operation; an interrupt is kept and reported as a broker error. */
    String run(Map<String, String> fields, String remote) {
      try {
        return operation.run(new Call(path, fields, remote));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TaskQueueException("interrupted; " + name + " may or may not have happened", e);
      }
    }

    /** The page to show after the action (post/redirect/get). */
    String back(Map<String, String> fields) {
      return fill(backPattern, path) + query.apply(fields);
    }
  }

  private final List<Route> routes = new ArrayList<>();

  /**
   * Adds an action.
   *
   * @param pattern e.g. {@code queues/{queue}/tasks/{id}/cancel}
   * @param back the page the browser is sent to afterwards, with the same named segments
   * @param operation what it does
   * @return this
   */
  ActionRoutes add(String pattern, String back, Operation operation) {
    return add(pattern, back, fields -> "", operation);
  }

  /**
   * Adds an action whose page to return to keeps some of the fields (a filter, say).
   *
   * @param query the query string of {@code back} ({@code ?...} or empty), from the fields
   */
  ActionRoutes add(
      String pattern,
      String back,
      Function<Map<String, String>, String> query,
      Operation operation) {
    List<String> p = DashboardServer.segments(pattern);
    routes.add(new Route(p.get(p.size() - 1), p, back, query, operation));
    return this;
  }

  /** The route of these path segments (without {@code /api}), if any. */
  Optional<Match> match(List<String> segments) {
    for (Route r : routes) {
      if (r.pattern().size() != segments.size()) {
        continue;
      }
      Map<String, String> named = new LinkedHashMap<>();
      boolean matches = true;
      for (int i = 0; i < segments.size() && matches; i++) {
        String p = r.pattern().get(i);
        if (p.startsWith("{") && p.endsWith("}")) {
          named.put(p.substring(1, p.length() - 1), segments.get(i));
        } else {
          matches = p.equals(segments.get(i));
        }
      }
      if (matches) {
        named.forEach(ActionRoutes::check);
        return Optional.of(new Match(r.name(), named, r.operation(), r.back(), r.query()));
      }
    }
    return Optional.empty();
  }

  private static void check(String name, String value) {
    switch (name) {
      case "queue" -> {
        if (!SettingResolver.isName(value)) {
          throw new IllegalArgumentException(
              "not a queue name: \"" + SettingResolver.printable(value) + "\"");
        }
      }
      case "schedule" -> Names.check("schedule name", value);
      default -> {
        // the operation checks it
      }
    }
  }

  private static String fill(String pattern, Map<String, String> path) {
    String s = pattern;
    for (Map.Entry<String, String> e : path.entrySet()) {
      s = s.replace("{" + e.getKey() + "}", DashboardPages.url(e.getValue()));
    }
    return s;
  }
}
