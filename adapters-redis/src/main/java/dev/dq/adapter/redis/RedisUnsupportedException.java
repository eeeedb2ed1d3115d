package dev.dq.adapter.redis;

import dev.dq.core.task.TaskQueueException;

/**
 * The Redis server lacks what a setting needs, such as {@code WAITAOF} (Redis 7.2) for {@link
 * RedisBrokerConfig.Builder#durableFsync}. Not transient: retrying cannot help until the server is
 * upgraded or the setting dropped, so the call fails at once, before it writes anything. The
 * message names the server's version and the setting.
 */
public final class RedisUnsupportedException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  /**
   * The server at hand cannot do what {@code message} describes.
   *
   * @param message the setting, the endpoint and the server version
   */
  public RedisUnsupportedException(String message) {
    super(message);
  }
}
