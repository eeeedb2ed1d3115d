package dev.dq.app.config;

/**
 * A configuration value (flag or environment variable) that cannot be used. Its message is one line
 * that names the setting and quotes the bad value; {@code Main} prints it alone and exits with code
 * 2, without a stack trace.
 */
public final class BadSettingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadSettingException(String message) {
    super(message, null, false, false);
  }
}
