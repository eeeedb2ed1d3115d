package dev.dq.core.port;

import dev.dq.core.task.TaskQueueException;

/**
 * The broker's backing store is out of memory (Redis at {@code maxmemory}) and refused a call that
 * would add work: an enqueue or a claim. Nothing of the refused call happened. Settling and
 * renewing leases already held still work, so tasks in flight finish and nothing runs twice; new
 * work is refused until an operator frees memory or raises the limit, which is why, unlike {@link
 * BrokerUnavailableException}, producers are not made to wait for it. Workers treat it like an
 * unreachable broker: they log it (rate-limited), back off and claim again later.
 */
public final class BrokerFullException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with its cause.
   *
   * @param message what happened
   * @param cause what caused it
   */
  public BrokerFullException(String message, Throwable cause) {
    super(message, cause);
  }
}
