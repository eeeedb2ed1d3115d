package dev.dq.core.task;

/** The one rule for task type and queue names: 1..128 characters of {@code [A-Za-z0-9._:-]}. */
public final class Names {
  /** Longest valid name, in characters. */
  public static final int MAX_LENGTH = 128;

  private Names() {}

  /**
   * Returns {@code value} if it is a valid name, else throws naming {@code what} and the value.
   *
   * @param what what the name is of, for the message ({@code "queue"}, {@code "type"})
   * @param value the name to check
   * @return {@code value}
   * @throws InvalidTaskException if {@code value} is null or not a valid name
   */
  public static String check(String what, String value) {
    if (value == null) {
      throw new InvalidTaskException(what + " must not be null");
    }
    if (!isValid(value)) {
      throw new InvalidTaskException(
          what
              + " must be 1.."
              + MAX_LENGTH
              + " characters of [A-Za-z0-9._:-]: \""
              + abbreviate(value)
              + "\"");
    }
    return value;
  }

  /**
   * A plain loop rather than a regex: every task checks three names, so this is on the producer's
   * hot path.
   */
  private static boolean isValid(String value) {
    int n = value.length();
    if (n == 0 || n > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  static String abbreviate(String value) {
    return value.length() <= 64 ? value : value.substring(0, 61) + "...";
  }
}
