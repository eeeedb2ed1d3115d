package dev.dq.adapter.redis;

import dev.dq.core.task.TaskQueueException;

/**
 * Redis refused this client (wrong user or password, or an ACL that forbids a command or key), or
 * this client refused Redis's TLS certificate (untrusted, or not issued for the host in the URL).
 * Not transient, unlike {@link dev.dq.core.port.BrokerUnavailableException}: retrying cannot help,
 * so calls fail at once instead of backing off until their timeout. The message names the endpoint
 * and the reason, never a password.
 */
public class RedisAccessException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal, described by {@code message}.
   *
   * @param message the endpoint and the reason, never a password
   * @param cause what the client reported
   */
  public RedisAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
