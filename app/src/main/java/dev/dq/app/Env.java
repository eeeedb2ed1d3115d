package dev.dq.app;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Resolves one setting from a flag, else an environment variable, else a default. Injected as a plain map so tests
 * need no real environment. An empty variable counts as unset, as shells make it easy to export one by accident.
 */
record Env(Map<String, String> vars) {
  private static final int MAX_QUOTED = 40;

  Env {
    vars = Map.copyOf(Objects.requireNonNull(vars, "vars"));
  }

  /** A whole number within {@code [min, max]}; the error names the flag if it was given, else the variable. */
  int intInRange(String flagValue, String flag, String variable, int defaultValue, int min, int max) {
    String source = flagValue != null ? flag : variable;
    String raw = flagValue != null ? flagValue : vars.get(variable);
    if (raw == null || raw.isBlank()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below, with the same message as an out-of-range value
    }
    throw bad(source, raw, "a whole number from " + min + " to " + max);
  }

  /** One of {@code names}, case-insensitive, returned in lower case; the error lists them. */
  String choice(String flagValue, String flag, String variable, String defaultName, Set<String> names) {
    String source = flagValue != null ? flag : variable;
    String raw = flagValue != null ? flagValue : vars.get(variable);
    String name = raw == null || raw.isBlank() ? defaultName : raw.trim().toLowerCase(java.util.Locale.ROOT);
    if (!names.contains(name)) {
      throw bad(source, raw, "one of " + names.stream().sorted().collect(Collectors.joining(" | ")));
    }
    return name;
  }

  static BadSettingException bad(String source, String raw, String expected) {
    return new BadSettingException(source + " must be " + expected + ", got \"" + printable(raw) + "\"");
  }

  /** Keeps the error on one short line whatever the value holds (newlines, escape sequences, a pasted file). */
  static String printable(String raw) {
    StringBuilder sb = new StringBuilder();
    raw.codePoints()
        .limit(MAX_QUOTED)
        .forEach(c -> sb.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : Character.toString(c)));
    return raw.codePointCount(0, raw.length()) > MAX_QUOTED ? sb + "..." : sb.toString();
  }
}
