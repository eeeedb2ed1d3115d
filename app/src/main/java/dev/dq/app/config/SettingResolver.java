package dev.dq.app.config;

import dev.dq.app.config.Setting.Rule;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The environment the command line reads, injected as a plain map so tests need no real
 * environment, with the wording of every setting error ({@link #bad}). Commands declare typed
 * options whose {@link Setting} rows read it through {@link EnvironmentDefaults}; the methods that
 * resolve one setting by hand (flag, else variable, else default) apply the same {@link
 * Setting.Rule}s. An empty variable counts as unset, as shells make it easy to export one by
 * accident.
 */
public record SettingResolver(Map<String, String> vars) {
  private static final int MAX_QUOTED = 40;

  public SettingResolver {
    vars = Map.copyOf(Objects.requireNonNull(vars, "vars"));
  }

  /**
   * A whole number within {@code [min, max]}; the error names the flag if it was given, else the
   * variable.
   */
  public int intInRange(
      String flagValue, String flag, String variable, int defaultValue, int min, int max) {
    return value(flagValue, flag, variable, defaultValue, Rule.wholeNumber(min, max));
  }

  /** One of {@code names}, case-insensitive, returned in lower case; the error lists them. */
  public String choice(
      String flagValue, String flag, String variable, String defaultName, Set<String> names) {
    return value(flagValue, flag, variable, defaultName, Rule.choice(names));
  }

  /**
   * A duration within {@code [min, max]}: {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h} or
   * ISO-8601 {@code PT30S}.
   */
  public Duration duration(
      String flagValue,
      String flag,
      String variable,
      Duration defaultValue,
      Duration min,
      Duration max) {
    return value(flagValue, flag, variable, defaultValue, Rule.duration(min, max));
  }

  /** A number within {@code [min, max]}, such as a probability. */
  public double decimal(
      String flagValue, String flag, String variable, double defaultValue, double min, double max) {
    return value(flagValue, flag, variable, defaultValue, Rule.decimal(min, max));
  }

  /** Free text (an address, a URL); unset or blank gives the default. */
  public String text(String flagValue, String variable, String defaultValue) {
    String raw = flagValue != null ? flagValue : vars.get(variable);
    return raw == null || raw.isBlank() ? defaultValue : raw.trim();
  }

  /**
   * A repeatable flag, else the variable's comma-separated items, else {@code defaults}; each item
   * checked.
   */
  public <T> List<T> list(
      List<String> flagValues,
      String flag,
      String variable,
      List<T> defaults,
      String expected,
      Function<String, T> parser) {
    return list(flagValues, flag, variable, defaults, new Rule<>(expected, parser));
  }

  private <T> List<T> list(
      List<String> flagValues, String flag, String variable, List<T> defaults, Rule<T> rule) {
    boolean fromFlags = flagValues != null && !flagValues.isEmpty();
    String source = fromFlags ? flag : variable;
    List<String> raw = fromFlags ? flagValues : split(vars.get(variable));
    if (raw.isEmpty()) {
      return defaults;
    }
    List<T> values = new ArrayList<>();
    for (String item : raw) {
      values.add(parse(source, item, rule));
    }
    return List.copyOf(values);
  }

  /**
   * {@code type=value} pairs from a repeatable flag or the variable's comma-separated list; later
   * pairs win.
   */
  public <T> Map<String, T> pairs(
      List<String> flagValues,
      String flag,
      String variable,
      String expected,
      Function<String, T> valueParser) {
    return Setting.asMap(
        list(flagValues, flag, variable, List.of(), Rule.pair(new Rule<>(expected, valueParser))));
  }

  private <T> T value(
      String flagValue, String flag, String variable, T defaultValue, Rule<T> rule) {
    String source = flagValue != null ? flag : variable;
    String raw = flagValue != null ? flagValue : vars.get(variable);
    return raw == null || raw.isBlank() ? defaultValue : parse(source, raw, rule);
  }

  /** The rule's parser returns null or throws IAE (NumberFormatException included) when bad. */
  private static <T> T parse(String source, String raw, Rule<T> rule) {
    T value;
    try {
      value = rule.parser().apply(raw.trim());
    } catch (IllegalArgumentException e) {
      value = null;
    }
    if (value == null) {
      throw bad(source, raw, rule.expected());
    }
    return value;
  }

  /** A queue name (core's naming rule), else {@code defaultValue}. */
  public String queue(String flagValue, String flag, String variable, String defaultValue) {
    return value(
        flagValue,
        flag,
        variable,
        defaultValue,
        Rule.queueName("a queue name of 1-128 characters [A-Za-z0-9._:-]"));
  }

  /**
   * Queue names from a repeatable flag or the variable's comma-separated list, else {@code
   * defaults}.
   */
  public List<String> queues(
      List<String> flagValues, String flag, String variable, List<String> defaults) {
    return list(flagValues, flag, variable, defaults, Rule.queueName("a queue name"));
  }

  /** Whether {@code value} is a valid task type or queue name (core's one rule). */
  public static boolean isName(String value) {
    try {
      Names.check("name", value);
      return true;
    } catch (InvalidTaskException e) {
      return false;
    }
  }

  private static List<String> split(String raw) {
    if (raw == null || raw.isBlank()) {
      return List.of();
    }
    return List.of(raw.split(",")).stream()
        .map(String::trim)
        .filter(item -> !item.isEmpty())
        .toList();
  }

  public static BadSettingException bad(String source, String raw, String expected) {
    return new BadSettingException(
        source + " must be " + expected + ", got \"" + printable(raw) + "\"");
  }

  /**
   * Keeps the error on one short line whatever the value holds (newlines, escape sequences, a
   * pasted file).
   */
  public static String printable(String raw) {
    StringBuilder sb = new StringBuilder();
    raw.codePoints()
        .limit(MAX_QUOTED)
        .forEach(
            c ->
                sb.append(
                    Character.isISOControl(c)
                        ? String.format("\\u%04x", c)
                        : Character.toString(c)));
    return raw.codePointCount(0, raw.length()) > MAX_QUOTED ? sb + "..." : sb.toString();
  }
}
