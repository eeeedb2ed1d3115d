package dev.dq.core.port;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A queue's pause, as the broker keeps it: who paused it, why, since when and, for a pause with a
 * duration, until when (the broker's clock). See {@link QueuePauses}.
 *
 * @param queue the paused queue
 * @param by who paused it (for instance {@code user@host}); may be empty
 * @param reason why; may be empty
 * @param at when it was paused, on the broker's clock
 * @param until when it ends by itself, on the broker's clock; empty for a pause until resumed
 */
public record QueuePause(
    String queue, String by, String reason, Instant at, Optional<Instant> until) {
  /**
   * A pause; every component is required.
   *
   * @param queue the paused queue
   * @param by who paused it; may be empty
   * @param reason why; may be empty
   * @param at when it was paused, on the broker's clock
   * @param until when it ends by itself; empty for a pause until resumed
   * @throws NullPointerException a component is null (the message names it)
   */
  public QueuePause {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(until, "until");
  }
}
