package dev.dq.core.task;

/**
 * Root of every exception dq throws on purpose. All are unchecked; see the subclasses for what each
 * means.
 */
public class TaskQueueException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened
   */
  public TaskQueueException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what happened
   * @param cause what caused it
   */
  public TaskQueueException(String message, Throwable cause) {
    super(message, cause);
  }
}
