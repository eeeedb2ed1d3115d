package dev.dq.core.port;

import dev.dq.core.task.Task;
import java.util.Optional;

/**
 * Which dead letters a filtered listing or bulk action of a {@link DeadLetterQueue} looks at. Both
 * parts are optional (null = any); an entry matches when it matches every part given.
 *
 * <ul>
 *   <li>{@code type}: the task's {@link Task#type()}, exactly.
 *   <li>{@code errorText}: a substring of the failure's {@link Failure#errorType()} or of its
 *       {@link Failure#message()}, ignoring the case of ASCII letters (so Redis scripts and Java
 *       agree).
 * </ul>
 *
 * @param type the task type to match exactly, or null for any
 * @param errorText text the error type or message must contain, or null for any
 */
public record DeadLetterFilter(String type, String errorText) {
  /** Longest filter value, in characters. */
  public static final int MAX_LENGTH = 256;

  /** The filter that matches every entry. */
  public static final DeadLetterFilter ALL = new DeadLetterFilter(null, null);

  /**
   * Checks both values.
   *
   * @param type the task type to match exactly, or null for any
   * @param errorText text the error type or message must contain, or null for any
   * @throws InvalidDeadLetterQueryException a value is blank, longer than {@link #MAX_LENGTH}, or
   *     holds a control character (below U+0020)
   */
  public DeadLetterFilter {
    check("type", type);
    check("error text", errorText);
  }

  /**
   * The filter from two optional inputs (form fields, command-line options), where null or empty
   * means "any"; other values are checked as by the constructor.
   *
   * @param type the task type, or null or empty for any
   * @param errorText the error text, or null or empty for any
   * @return the filter
   * @throws InvalidDeadLetterQueryException a value is blank but not empty, or too long
   */
  public static DeadLetterFilter of(String type, String errorText) {
    return new DeadLetterFilter(emptyToNull(type), emptyToNull(errorText));
  }

  /**
   * The task type to match.
   *
   * @return the type, or empty for any
   */
  public Optional<String> typeIfSet() {
    return Optional.ofNullable(type);
  }

  /**
   * The error text to look for.
   *
   * @return the text, or empty for any
   */
  public Optional<String> errorTextIfSet() {
    return Optional.ofNullable(errorText);
  }

  /**
   * Whether this filter matches every entry.
   *
   * @return true when neither part is set
   */
  public boolean matchesAll() {
    return type == null && errorText == null;
  }

  /**
   * Whether {@code entry} matches.
   *
   * @param entry a dead letter
   * @return true when it matches every part given
   */
  public boolean matches(DeadLetter entry) {
    if (type != null && !type.equals(entry.task().type())) {
      return false;
    }
    if (errorText == null) {
      return true;
    }
    String needle = asciiLower(errorText);
    Failure f = entry.failure();
    return asciiLower(f.errorType()).contains(needle) || asciiLower(f.message()).contains(needle);
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  private static void check(String what, String value) {
    if (value == null) {
      return;
    }
    if (value.isBlank()) {
      throw new InvalidDeadLetterQueryException(
          "dead-letter filter " + what + " must not be blank: \"" + value + "\"");
    }
    if (value.length() > MAX_LENGTH) {
      throw new InvalidDeadLetterQueryException(
          "dead-letter filter "
              + what
              + " must be at most "
              + MAX_LENGTH
              + " characters, not "
              + value.length()
              + ": \""
              + value.substring(0, 32)
              + "...\"");
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < 0x20) {
        throw new InvalidDeadLetterQueryException(
            String.format(
                "dead-letter filter %s must not hold control characters: \"%s\" (U+%04X at %d)",
                what, value.replaceAll("\\p{Cntrl}", "?"), (int) value.charAt(i), i));
      }
    }
  }

  /** Lower-cases A-Z only, as Lua's {@code string.lower} does in the C locale. */
  private static String asciiLower(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (out == null) {
          out = new StringBuilder(s);
        }
        out.setCharAt(i, (char) (c + ('a' - 'A')));
      }
    }
    return out == null ? s : out.toString();
  }
}
