package dev.dq.app.config;

import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Names;
import java.util.Map;
import java.util.Objects;

/**
 * The environment the command line reads, injected as a plain map so tests need no real
 * environment, with the wording of every setting error ({@link #bad}). Commands declare typed
 * options whose {@link Setting} rows read it through {@link EnvironmentDefaults}, the one place
 * that resolves a setting (flag, else variable, else default). An empty variable counts as unset,
 * as shells make it easy to export one by accident.
 */
public record SettingResolver(Map<String, String> vars) {
  private static final int MAX_QUOTED = 40;

  public SettingResolver {
    vars = Map.copyOf(Objects.requireNonNull(vars, "vars"));
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
