package dev.dq.core.port;

import java.time.Instant;
import java.util.Objects;

/**
 * Why a task ended in the dead-letter queue.
 *
 * @param errorType the exception's class name, or a fixed reason such as {@code no-handler}
 * @param message human-readable detail (never null; may be empty)
 * @param attempts attempts made before giving up
 * @param failedAt when it was given up (pool's clock)
 */
public record Failure(String errorType, String message, int attempts, Instant failedAt) {
  /**
   * Checks the values; a null message becomes empty.
   *
   * @param errorType the exception's class name, or a fixed reason
   * @param message human-readable detail
   * @param attempts attempts made before giving up
   * @param failedAt when it was given up
   */
  public Failure {
    Objects.requireNonNull(errorType, "errorType");
    Objects.requireNonNull(failedAt, "failedAt");
    message = message == null ? "" : message;
  }

  /**
   * The failure of an attempt that threw {@code error}: its class name and message.
   *
   * @param error what the handler threw
   * @param attempts attempts made before giving up
   * @param failedAt when it was given up
   * @return the failure
   */
  public static Failure of(Throwable error, int attempts, Instant failedAt) {
    return new Failure(
        error.getClass().getName(), String.valueOf(error.getMessage()), attempts, failedAt);
  }
}
