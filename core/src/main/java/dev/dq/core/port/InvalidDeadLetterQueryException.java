package dev.dq.core.port;

import dev.dq.core.task.TaskQueueException;

/**
 * A dead-letter filter, cursor or mark is not acceptable: a blank or too long filter value, a
 * cursor or mark that no adapter handed out, or a mark of another queue. The message names the
 * value. This is bad input: retrying the same value fails again.
 */
public final class InvalidDeadLetterQueryException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, naming the value
   */
  public InvalidDeadLetterQueryException(String message) {
    super(message);
  }
}
