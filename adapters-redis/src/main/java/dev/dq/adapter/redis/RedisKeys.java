package dev.dq.adapter.redis;

import dev.dq.core.task.Names;

/**
 * Every Redis key of one queue. All share the prefix {@code dq:{<queue>}:}, whose hash tag keeps a
 * queue on one cluster slot, so each script touches one slot only. See {@code
 * docs/redis-data-model.md}.
 */
public final class RedisKeys {
  /**
   * Set of queue names that were ever enqueued to, for discovery; written outside scripts (another
   * slot).
   */
  public static final String QUEUES = "dq:queues";

  private final String queue;
  private final String prefix;

  private RedisKeys(String queue) {
    this.queue = Names.check("queue", queue);
    this.prefix = "dq:{" + queue + "}:";
  }

  public static RedisKeys of(String queue) {
    return new RedisKeys(queue);
  }

  public String queue() {
    return queue;
  }

  /** List of task ids ready now, oldest at the head. */
  public String ready() {
    return prefix + "ready";
  }

  /** Sorted set: task id to the epoch millis at which it becomes ready. */
  public String delayed() {
    return prefix + "delayed";
  }

  /** Sorted set: task id to the epoch millis at which its lease expires. */
  public String active() {
    return prefix + "active";
  }

  /** Hash: task id to the fencing token of its current delivery. */
  public String leases() {
    return prefix + "leases";
  }

  /** Counter from which every delivery draws its fencing token. */
  public String tokenSeq() {
    return prefix + "token-seq";
  }

  /** List that enqueues push to and idle workers BLPOP on; its elements carry no meaning. */
  public String wakeups() {
    return prefix + "notify";
  }

  /** Sorted set: dead task id to the sequence number of its death (oldest first). */
  public String dead() {
    return prefix + "dead";
  }

  /** Counter behind {@link #dead()}'s scores. */
  public String deadSeq() {
    return prefix + "dead-seq";
  }

  /**
   * String: the reply of the claim call with this nonce, kept for one lease time so a retry gets
   * the same leases.
   */
  public String claimReply(String nonce) {
    return prefix + "claim:" + nonce;
  }

  /**
   * Sorted set: the fencing token of each recent ack (and {@code call:<nonce>} of each recent
   * single ack) to the epoch millis until which it is remembered, so that an ack repeated after a
   * lost reply is answered exactly.
   */
  public String acked() {
    return prefix + "acked";
  }

  /**
   * Sorted set: id of a recent enqueue call to the epoch millis at which its proof expires. A retry
   * after a lost reply finds its call here and answers "done", even when the tasks have run and
   * been acked since.
   */
  public String enqueued() {
    return prefix + "enqueued";
  }

  /** Hash of one task: {@code data} (JSON), {@code attempt}, and {@code failure} once dead. */
  public String task(String id) {
    return prefix + "task:" + id;
  }

  @Override
  public String toString() {
    return "RedisKeys[" + prefix + "]";
  }
}
