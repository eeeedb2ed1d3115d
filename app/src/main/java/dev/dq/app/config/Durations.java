package dev.dq.app.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of every flag, variable and the built-in sleep handler: {@code 250ms}, {@code
 * 30s}, {@code 5m}, {@code 1h}, {@code 30d}, ISO-8601.
 */
public final class Durations {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code 250ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 30d} or ISO-8601; throws IAE
   * otherwise.
   */
  public static Duration parse(String raw) {
    String s = raw.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHORT_DURATION.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms":
          return Duration.ofMillis(n);
        case "s":
          return Duration.ofSeconds(n);
        case "m":
          return Duration.ofMinutes(n);
        case "h":
          return Duration.ofHours(n);
        default:
          return Duration.ofDays(n);
      }
    }
    try {
      return Duration.parse(raw.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a duration: " + raw, e);
    }
  }

  /** {@code 1500ms}, {@code 30s}: the shortest exact form, for messages and help. */
  public static String format(Duration d) {
    if (d.toMillisPart() != 0 || d.isZero()) {
      return d.toMillis() + "ms";
    }
    return d.toSeconds() % 60 == 0 && d.toMinutes() > 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
  }
}
