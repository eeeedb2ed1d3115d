package dev.dq.app.config;

/**
 * A command could not do what was asked (a task rejected, an entry not found, a port in use)
 * although its settings were valid. {@code Main} prints the message alone on one line and exits
 * with code 1.
 */
public final class CommandFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CommandFailedException(String message) {
    super(message, null, false, false);
  }
}
