package dev.dq.core.client;

/**
 * An {@link EnqueueOptions} value is invalid, or two options contradict each other (a delay and a
 * run-at time): a caller bug, reported when the option is set, with the value in the message.
 */
public class InvalidOptionsException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong, naming the value
   */
  public InvalidOptionsException(String message) {
    super(message);
  }
}
