package dev.dq.core.task;

import java.util.regex.Pattern;

/** The one rule for task type and queue names: 1..128 characters of {@code [A-Za-z0-9._:-]}. */
public final class Names {
  public static final int MAX_LENGTH = 128;
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

  private Names() {}

  /** Returns {@code value} if it is a valid name, else throws naming {@code what} and the value. */
  public static String check(String what, String value) {
    if (value == null) {
      throw new InvalidTaskException(what + " must not be null");
    }
    if (!VALID.matcher(value).matches()) {
      throw new InvalidTaskException(
          what + " must be 1.." + MAX_LENGTH + " characters of [A-Za-z0-9._:-]: \"" + abbreviate(value) + "\"");
    }
    return value;
  }

  static String abbreviate(String value) {
    return value.length() <= 64 ? value : value.substring(0, 61) + "...";
  }
}
