package dev.dq.core.task;

/**
 * A task, or one of its parts, breaks a rule (bad type name, payload too large, too many headers).
 * The message names the rule and the offending value. This is a caller bug or bad input: retrying
 * the same value fails again.
 */
public final class InvalidTaskException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public InvalidTaskException(String message) {
    super(message);
  }
}
