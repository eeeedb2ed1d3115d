package dev.dq.adapter.redis;

import java.util.List;

/**
 * Runs an enqueue script so that its "OK" means what {@link EnqueueDurability} asks: with no
 * confirmation, as is; otherwise followed on the same connection by {@code WAIT} or {@code
 * WAITAOF}, and an "OK" that fewer replicas (or no fsync) confirmed in time becomes {@link
 * NotConfirmedException}. A retry of an applied call answers "OK" from its proof, which the script
 * then touches, so that the WAIT of the retry's connection covers the earlier write too.
 */
final class DurableEnqueue {
  private final RedisGateway redis;
  private final EnqueueDurability durability;
  private volatile boolean serverChecked;

  DurableEnqueue(RedisGateway redis) {
    this.redis = redis;
    this.durability = redis.config().durability();
  }

  /**
   * Before an enqueue writes anything: fails if the server cannot confirm as asked (WAITAOF needs
   * Redis 7.2). Asks once per broker.
   *
   * @throws RedisUnsupportedException fsync is asked of a server older than 7.2
   */
  void checkServer() {
    if (!durability.fsync() || serverChecked) {
      return;
    }
    String version = redis.serverVersion();
    if (!atLeast(version, 7, 2)) {
      throw new RedisUnsupportedException(
          "durable fsync (durableFsync, --durable-fsync) needs WAITAOF, which Redis 7.2 added;"
              + " redis at "
              + redis.config().url().endpoint()
              + " is version "
              + version);
    }
    serverChecked = true;
  }

  Object run(String what, Script script, List<String> keys, List<String> args) {
    if (!durability.confirms()) {
      return redis.script(what, script, keys, args);
    }
    ScriptRunner.Confirmed c = redis.confirmedScript(what, script, keys, args, durability);
    if ("OK".equals(c.reply()) && (c.replicas() < durability.replicas() || !c.fsynced())) {
      throw new NotConfirmedException(
          "applied on the primary, but "
              + (c.fsynced() ? "" : "not fsynced and ")
              + c.replicas()
              + " of "
              + durability.replicas()
              + " replicas confirmed it within "
              + durability.timeout().toMillis()
              + "ms, so it may not survive a failover");
    }
    return c.reply();
  }

  /** Whether {@code version} ("7.0.15") is at least {@code major.minor}; unknown reads as older. */
  static boolean atLeast(String version, int major, int minor) {
    String[] parts = version.split("\\.");
    try {
      int ma = Integer.parseInt(parts[0]);
      int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return ma > major || (ma == major && mi >= minor);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** An enqueue applied on the primary that the replicas (or fsync) did not confirm in time. */
  static final class NotConfirmedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotConfirmedException(String message) {
      super(message, null, false, false);
    }
  }
}
