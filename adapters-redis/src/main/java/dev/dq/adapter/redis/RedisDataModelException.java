package dev.dq.adapter.redis;

/**
 * The Redis holds queues in an older data model than this version of dq reads (model v1, dq 0.x),
 * or a {@code dq migrate} that did not finish. Not transient: retrying cannot help, and processing
 * such data would dead-letter every old task as undecodable. The message says what to run: stop
 * every older dq process, then {@code dq migrate} with the Redis URL (its password masked).
 */
public final class RedisDataModelException extends RedisAccessException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal to work on data of another model.
   *
   * @param message the endpoint, what was found and the command to run, never a password
   */
  public RedisDataModelException(String message) {
    super(message, null);
  }
}
