package dev.dq.core.client;

import dev.dq.core.task.TaskQueueException;

/** A {@link PayloadCodec} could not encode a value or decode a payload into the type wanted. */
public class CodecException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, naming the type
   */
  public CodecException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message what failed, naming the type
   * @param cause the codec library's error
   */
  public CodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
