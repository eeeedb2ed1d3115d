package dev.dq.app.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * One row of a command's settings: its environment variable, its default and the rule its value
 * follows (type and range), written once. An option names its row as its converter ({@code
 * converter = PublishTimeout.class}); its flag is the option's name, and {@link
 * EnvironmentDefaults} feeds it the variable when the flag is not given. A blank value, on the
 * command line or in the environment, counts as unset.
 */
public abstract class Setting<T> implements ITypeConverter<T> {
  private final String variable;
  private final String defaultValue;
  private final Rule<T> rule;

  /**
   * @param defaultValue the default as the user would write it, shown by {@code ${DEFAULT-VALUE}};
   *     null for none
   */
  protected Setting(String variable, String defaultValue, Rule<T> rule) {
    this.variable = Objects.requireNonNull(variable, "variable");
    this.defaultValue = defaultValue;
    this.rule = Objects.requireNonNull(rule, "rule");
  }

  public final String variable() {
    return variable;
  }

  public final String defaultValue() {
    return defaultValue;
  }

  public final String expected() {
    return rule.expected();
  }

  /** Converts a flag's value; a rejected value names no source, {@link #message} adds it. */
  @Override
  public final T convert(String raw) {
    T value = parse(raw.isBlank() && defaultValue != null ? defaultValue : raw);
    if (value == null) {
      throw new Rejected(rule.expected());
    }
    return value;
  }

  /** The value, or null if {@code raw} breaks the rule. */
  final T parse(String raw) {
    try {
      return rule.parser().apply(raw.trim());
    } catch (IllegalArgumentException e) {
      return null; // NumberFormatException included; reported by the caller with the value
    }
  }

  /** The pairs of a {@link Rule#pair} option as a map; a later pair of a type wins. */
  public static <T> Map<String, T> asMap(List<Map.Entry<String, T>> pairs) {
    Map<String, T> map = new LinkedHashMap<>();
    if (pairs != null) {
      pairs.forEach(e -> map.put(e.getKey(), e.getValue()));
    }
    return Map.copyOf(map);
  }

  /** The row that converts {@code arg}, or null if it is not a setting. */
  static Setting<?> of(ArgSpec arg) {
    for (ITypeConverter<?> converter : arg.converters()) {
      if (converter instanceof Setting<?> setting) {
        return setting;
      }
    }
    return null;
  }

  /**
   * The one-line message for a flag value a row rejected, in the words {@link SettingResolver} uses
   * ({@code --count must be a whole number from 1 to 10, got "0"}); null for any other error.
   */
  public static String message(ParameterException e) {
    if (!(e.getCause() instanceof Rejected rejected) || e.getArgSpec() == null) {
      return null;
    }
    ArgSpec arg = e.getArgSpec();
    String flag = arg.isOption() ? ((OptionSpec) arg).longestName() : arg.paramLabel();
    return SettingResolver.bad(flag, String.valueOf(e.getValue()), rejected.expected).getMessage();
  }

  /**
   * What a value must be, in words for the error, and its parser, which returns null or throws
   * {@link IllegalArgumentException} for a bad value. The value reaches the parser trimmed.
   */
  public record Rule<T>(String expected, Function<String, T> parser) {
    public Rule {
      Objects.requireNonNull(expected, "expected");
      Objects.requireNonNull(parser, "parser");
    }

    public static Rule<Integer> wholeNumber(int min, int max) {
      return new Rule<>(
          "a whole number from " + min + " to " + max,
          raw -> {
            int value = Integer.parseInt(raw);
            return value >= min && value <= max ? value : null;
          });
    }

    public static Rule<Duration> duration(Duration min, Duration max) {
      return new Rule<>(
          "a duration from "
              + Durations.format(min)
              + " to "
              + Durations.format(max)
              + " (e.g. 500ms, 30s, 5m)",
          raw -> {
            Duration d = Durations.parse(raw);
            return d.compareTo(min) >= 0 && d.compareTo(max) <= 0 ? d : null;
          });
    }

    /** A number within {@code [min, max]}, such as a probability. */
    public static Rule<Double> decimal(double min, double max) {
      return new Rule<>(
          "a number from " + min + " to " + max,
          raw -> {
            double d = Double.parseDouble(raw);
            return d >= min && d <= max ? d : null;
          });
    }

    /** Free text (an address); only a blank value is replaced, by the default. */
    public static Rule<String> text() {
      return new Rule<>("text", raw -> raw);
    }

    /**
     * {@code TYPE=value}, the type a valid task type and the value following {@code value}; the
     * option collects the pairs and {@link #asMap} keeps the last of each type.
     */
    public static <T> Rule<Map.Entry<String, T>> pair(Rule<T> value) {
      return new Rule<>(
          "TYPE=" + value.expected(),
          raw -> {
            int eq = raw.indexOf('=');
            if (eq < 1) {
              return null;
            }
            String type = raw.substring(0, eq).trim();
            T v = value.parser().apply(raw.substring(eq + 1).trim());
            return v == null || !SettingResolver.isName(type) ? null : Map.entry(type, v);
          });
    }

    /** One of {@code names}, case-insensitive, given in lower case; the error lists them. */
    public static Rule<String> choice(Set<String> names) {
      return new Rule<>(
          "one of " + names.stream().sorted().collect(Collectors.joining(" | ")),
          raw -> {
            String name = raw.toLowerCase(Locale.ROOT);
            return names.contains(name) ? name : null;
          });
    }

    /**
     * A queue name from {@code DQ_QUEUES}, which {@code dq run} shares: a weight it may carry
     * ({@code critical=6}) is dropped, so one variable serves {@code dq run}, {@code stats} and
     * {@code migrate}.
     */
    public static Rule<String> queueNameMaybeWeighted(String expected) {
      return new Rule<>(
          expected,
          raw -> {
            int eq = raw.lastIndexOf('=');
            if (eq >= 0 && Integer.parseInt(raw.substring(eq + 1).trim()) < 1) {
              return null;
            }
            String name = eq < 0 ? raw : raw.substring(0, eq).trim();
            return SettingResolver.isName(name) ? name : null;
          });
    }

    /** A queue name (core's naming rule), described as {@code expected}. */
    public static Rule<String> queueName(String expected) {
      return new Rule<>(expected, raw -> SettingResolver.isName(raw) ? raw : null);
    }
  }

  /** A value a row rejected; the source (flag or variable) is added by whoever knows it. */
  static final class Rejected extends TypeConversionException {
    private static final long serialVersionUID = 1L;
    private final transient String expected;

    Rejected(String expected) {
      super("must be " + expected);
      this.expected = expected;
    }
  }
}
