package dev.dq.adapter.redis;

import dev.dq.core.task.Names;
import dev.dq.core.task.Task;
import java.util.ArrayList;
import java.util.List;

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

  /**
   * Hash of the live worker processes: process id to {@code "<expires ms>|<beat ms>|<status
   * JSON>"}; global (no hash tag), used by one single-key script ({@link RedisWorkers}).
   */
  public static final String WORKERS = "dq:workers";

  /** Fencing tokens per {@link #ackedBits} bitmap (1 KiB each). */
  public static final int ACKED_BITS = 8192;

  /**
   * String: the data model the Redis holds, {@code "2"} once it is known to hold no data of model
   * v1 (see {@link RedisMigration}).
   */
  public static final String DATA_MODEL = "dq:data-model";

  private final String queue;
  private final String prefix;
  private final List<String> levelBlock;

  private RedisKeys(String queue) {
    this.queue = Names.check("queue", queue);
    this.prefix = "dq:{" + queue + "}:";
    List<String> block = new ArrayList<>(Task.MAX_PRIORITY + 3);
    block.add(levels());
    block.add(priorities());
    for (int p = Task.MIN_PRIORITY; p <= Task.MAX_PRIORITY; p++) {
      block.add(ready(p));
    }
    this.levelBlock = List.copyOf(block);
  }

  /**
   * The keys of a queue.
   *
   * @param queue the queue's name
   * @return its keys
   * @throws dev.dq.core.task.InvalidTaskException if {@code queue} is not a valid queue name
   */
  public static RedisKeys of(String queue) {
    return new RedisKeys(queue);
  }

  /**
   * The name of the queue these keys belong to.
   *
   * @return the queue's name
   */
  public String queue() {
    return queue;
  }

  /**
   * List of task ids ready now, oldest at the head.
   *
   * @return the key
   */
  public String ready() {
    return prefix + "ready";
  }

  /**
   * List of the ids ready now at priority level {@code priority}, oldest at the head: {@link
   * #ready()} itself for the default level {@value Task#DEFAULT_PRIORITY}, {@code ready:<p>} for
   * the others.
   *
   * @param priority the level, {@value Task#MIN_PRIORITY}..{@value Task#MAX_PRIORITY}
   * @return the key
   * @throws dev.dq.core.task.InvalidTaskException if {@code priority} is outside the range
   */
  public String ready(int priority) {
    Task.checkPriority(priority);
    return priority == Task.DEFAULT_PRIORITY ? ready() : prefix + "ready:" + priority;
  }

  /**
   * Sorted set of the priority levels other than the default whose ready list may hold ids (member
   * and score: the level), so that a claim looks only at the levels in use.
   *
   * @return the key
   */
  public String levels() {
    return prefix + "levels";
  }

  /**
   * Hash: task id to its priority level, for the held tasks of a level other than the default; the
   * level a delayed, retried, released, reclaimed or requeued task goes back to.
   *
   * @return the key
   */
  public String priorities() {
    return prefix + "priorities";
  }

  /**
   * The block of keys the scripts that make tasks ready or count them take ({@code _levels.lua}):
   * {@link #levels()}, {@link #priorities()}, then {@link #ready(int)} of each level from {@value
   * Task#MIN_PRIORITY} to {@value Task#MAX_PRIORITY}.
   *
   * @return the 12 keys, in that order
   */
  public List<String> levelBlock() {
    return levelBlock;
  }

  /**
   * Sorted set: task id to the epoch millis at which it becomes ready.
   *
   * @return the key
   */
  public String delayed() {
    return prefix + "delayed";
  }

  /**
   * Sorted set: task id to the epoch millis at which its lease expires.
   *
   * @return the key
   */
  public String active() {
    return prefix + "active";
  }

  /**
   * Hash: task id to the fencing token of its current delivery.
   *
   * @return the key
   */
  public String leases() {
    return prefix + "leases";
  }

  /**
   * Counter from which every delivery draws its fencing token.
   *
   * @return the key
   */
  public String tokenSeq() {
    return prefix + "token-seq";
  }

  /**
   * List that enqueues push to and idle workers BLPOP on; its elements carry no meaning.
   *
   * @return the key
   */
  public String wakeups() {
    return prefix + "notify";
  }

  /**
   * String: the queue's pause, JSON {@code {"by", "reason", "at", "until"}}, while it is paused
   * (expiring with the pause when it has a duration).
   *
   * @return the key
   */
  public String paused() {
    return prefix + "paused";
  }

  /**
   * Set: names of the task types that have ids held back by their limit in this queue.
   *
   * @return the key
   */
  public String limitParked() {
    return prefix + "limit:parked";
  }

  /**
   * List: ids of type {@code type} held back by its limit in this queue, oldest at the head. The
   * claim script builds these names itself from {@link #limitParked()}'s, so the two must agree.
   *
   * @param type the task type
   * @return the key
   */
  public String limitParked(String type) {
    return limitParked() + ":" + type;
  }

  /**
   * String: the GCRA theoretical arrival time of the queue's rate limit.
   *
   * @return the key
   */
  public String limitRate() {
    return prefix + "limit:rate";
  }

  /**
   * String: the GCRA theoretical arrival time of type {@code type}'s rate limit, counted in this
   * queue.
   *
   * @param type the task type
   * @return the key
   */
  public String limitTypeRate(String type) {
    return prefix + "limit:type:" + type + ":rate";
  }

  /**
   * Hash: id to fencing token of each lease taken under type {@code type}'s concurrency limit in
   * this queue.
   *
   * @param type the task type
   * @return the key
   */
  public String limitTypeLeases(String type) {
    return prefix + "limit:type:" + type + ":leases";
  }

  /**
   * Sorted set: dead task id to the sequence number of its death (oldest first).
   *
   * @return the key
   */
  public String dead() {
    return prefix + "dead";
  }

  /**
   * Counter behind {@link #dead()}'s scores.
   *
   * @return the key
   */
  public String deadSeq() {
    return prefix + "dead-seq";
  }

  /**
   * String: the reply of the claim call with this nonce, kept for one lease time so a retry gets
   * the same leases.
   *
   * @param nonce the nonce of the claim call
   * @return the key
   */
  public String claimReply(String nonce) {
    return prefix + "claim:" + nonce;
  }

  /**
   * String: the reply of the run-now or delete call with this nonce, kept a short while so that a
   * retry after a lost reply is answered what the first try did.
   *
   * @param nonce the nonce of the call
   * @return the key
   */
  public String controlReply(String nonce) {
    return prefix + "control:" + nonce;
  }

  /**
   * Sorted set: the fencing token of each recent ack (and {@code call:<nonce>} of each recent
   * single ack) to the epoch millis until which it is remembered, so that an ack repeated after a
   * lost reply is answered exactly.
   *
   * @return the key
   */
  public String acked() {
    return prefix + "acked";
  }

  /**
   * Sorted set: id of a recent enqueue call to the epoch millis at which its proof expires. A retry
   * after a lost reply finds its call here and answers "done", even when the tasks have run and
   * been acked since.
   *
   * @return the key
   */
  public String enqueued() {
    return prefix + "enqueued";
  }

  /**
   * Hash: task id to its data (the task's JSON). A task id with a field here is held: enqueueing it
   * again fails as a duplicate.
   *
   * @return the key
   */
  public String tasks() {
    return prefix + "tasks";
  }

  /**
   * Hash: task id to its current attempt, when that differs from the attempt in its data (after a
   * retry or a requeue).
   *
   * @return the key
   */
  public String attempts() {
    return prefix + "attempts";
  }

  /**
   * Hash: dead task id to its failure record (JSON).
   *
   * @return the key
   */
  public String failures() {
    return prefix + "failures";
  }

  /**
   * Hash: task id to the record of a finished (succeeded or cancelled) task, JSON; see {@code
   * docs/redis-data-model.md}.
   *
   * @return the key
   */
  public String records() {
    return prefix + "records";
  }

  /**
   * Sorted set: finished task id to the epoch millis it finished at, the order in which records are
   * trimmed.
   *
   * @return the key
   */
  public String finished() {
    return prefix + "finished";
  }

  /**
   * Hash: task id to {@code "<epoch ms>|<worker>"} of its current delivery's start.
   *
   * @return the key
   */
  public String started() {
    return prefix + "started";
  }

  /**
   * Hash: task id to the failure record (JSON) of its last failed attempt, while it waits to retry.
   *
   * @return the key
   */
  public String errors() {
    return prefix + "errors";
  }

  /**
   * Hash: task id to the epoch millis of a cancel requested while it ran; gone when the task ends.
   *
   * @return the key
   */
  public String cancelled() {
    return prefix + "cancelled";
  }

  /**
   * Hash: task id to a value that could not be read as a task, kept in {@code DUMP} format (written
   * by {@code dq migrate} for a data model v1 task key of an unexpected type).
   *
   * @return the key
   */
  public String dumps() {
    return prefix + "dumps";
  }

  /**
   * Bitmap of the acks of {@link #ACKED_BITS} consecutive fencing tokens: bit {@code token %
   * ACKED_BITS} of {@code ackedBits(token / ACKED_BITS)} is set once the lease with that token was
   * acked in a batch, and the bitmap expires some time after its latest ack.
   *
   * @param bucket the token divided by {@link #ACKED_BITS}
   * @return the key
   */
  public String ackedBits(long bucket) {
    return prefix + "acked:" + bucket;
  }

  /**
   * Hash: unique key to the id of the task that took it (see {@link
   * dev.dq.core.lifecycle.UniqueTasks}). The key is held while that task is held and not dead, or
   * while its window in {@link #uniqueUntil()} is open.
   *
   * @return the key
   */
  public String unique() {
    return prefix + "unique";
  }

  /**
   * Hash: task id to the unique key it took, so that removing the task can release its key.
   *
   * @return the key
   */
  public String uniqueOf() {
    return prefix + "unique-of";
  }

  /**
   * Sorted set: unique key taken with a window to the epoch millis until which it is held.
   *
   * @return the key
   */
  public String uniqueUntil() {
    return prefix + "unique-until";
  }

  /**
   * Hash: the queue's finished attempts per minute of the last hour, fields {@code <minute>:p}
   * (processed), {@code <minute>:f} (failed), {@code <minute>:d} (dead-lettered) and {@code
   * trimmed}; see {@link RedisThroughput}.
   *
   * @return the key
   */
  public String throughput() {
    return prefix + "throughput";
  }

  /**
   * Hash: schedule name to its spec (JSON); see {@link RedisSchedules}.
   *
   * @return the key
   */
  public String cron() {
    return prefix + "cron";
  }

  /**
   * Sorted set: schedule name to the epoch millis of its next tick.
   *
   * @return the key
   */
  public String cronNext() {
    return prefix + "cron-next";
  }

  /**
   * Hash: schedule name to the id of the task its last fire enqueued (for overlap {@code skip}).
   *
   * @return the key
   */
  public String cronLive() {
    return prefix + "cron-live";
  }

  /**
   * Set of the names of paused schedules.
   *
   * @return the key
   */
  public String cronPaused() {
    return prefix + "cron-paused";
  }

  /**
   * List: the newest entries of one schedule's history, {@code "<tick ms> <outcome> <at ms> <task
   * id>"}, newest first.
   *
   * @param name the schedule's name
   * @return the key
   */
  public String cronLog(String name) {
    return prefix + "cron-log:" + name;
  }

  /**
   * Prefix of the keys of data model v1 (dq 0.x), one hash per task: {@code dq:{<queue>}:task:}
   * then the task's id. Only {@link RedisMigration} reads them.
   *
   * @return the prefix
   */
  String v1TaskPrefix() {
    return prefix + "task:";
  }

  /** A SCAN pattern matching every key of this queue. */
  String pattern() {
    return prefix + "*";
  }

  /**
   * Whether {@code key} is one of this queue's keys whose name has a variable part: an {@link
   * #ackedBits} bitmap, a {@link #claimReply} or a {@link #controlReply}.
   */
  boolean hasVariableName(String key) {
    return key.startsWith(prefix + "acked:")
        || key.startsWith(prefix + "claim:")
        || key.startsWith(prefix + "control:");
  }

  @Override
  public String toString() {
    return "RedisKeys[" + prefix + "]";
  }
}
