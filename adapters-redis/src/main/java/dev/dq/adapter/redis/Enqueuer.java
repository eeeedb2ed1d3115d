package dev.dq.adapter.redis;

import static dev.dq.adapter.redis.Arguments.requireNonNegative;

import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.lifecycle.UniqueOutcome;
import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.port.BrokerFullException;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.DuplicateTaskException;
import dev.dq.core.port.OutcomeUnknownException;
import dev.dq.core.port.QueueFullException;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Enqueue for {@link RedisBroker}: one task or a batch of one queue, each call one script run until
 * Redis accepts it, retried with backoff while the queue is full or Redis cannot be reached. A
 * retry after a lost reply is exact: every try of a call carries the same call id, whose proof the
 * script keeps (see {@link #untilAccepted}).
 */
final class Enqueuer {
  private static final long MAX_ENQUEUE_BACKOFF_MS = 100;
  private static final Duration PROOF_MARGIN = Duration.ofSeconds(15);

  private final RedisGateway redis;
  private final RedisBrokerConfig config;
  private final DurableEnqueue durable;
  private final AtomicBoolean closed;

  Enqueuer(RedisGateway redis, AtomicBoolean closed) {
    this.redis = redis;
    this.config = redis.config();
    this.durable = new DurableEnqueue(redis);
    this.closed = closed;
  }

  void enqueue(Task task, Duration timeout) throws InterruptedException {
    enqueueOne(task, "", "", timeout, null);
  }

  /**
   * Enqueues one task unless its unique key is held: the check and the write are one run of {@code
   * enqueue.lua} with the unique keys, so of concurrent calls with one key exactly one enqueues.
   */
  UniqueOutcome enqueueUnique(Task task, UniqueKey key, Duration delay, Duration timeout)
      throws InterruptedException {
    Objects.requireNonNull(key, "key");
    requireNonNegative("delay", delay);
    Object reply =
        enqueueOne(task, "", delay.isZero() ? "" : Long.toString(delay.toMillis()), timeout, key);
    if (reply instanceof List<?> l && l.size() == 2 && "EXISTS".equals(l.get(0))) {
      return new UniqueOutcome(new TaskId(String.valueOf(l.get(1))), false);
    }
    return new UniqueOutcome(task.id(), true);
  }

  void enqueueAt(Task task, Instant notBefore, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(notBefore, "notBefore");
    enqueueOne(task, Long.toString(notBefore.toEpochMilli()), "", timeout, null);
  }

  void enqueueIn(Task task, Duration delay, Duration timeout) throws InterruptedException {
    requireNonNegative("delay", delay);
    enqueueOne(task, "", Long.toString(delay.toMillis()), timeout, null);
  }

  /**
   * Enqueues one task: ready now if both {@code due} and {@code delay} are '', else at {@code due}
   * (not-before epoch millis) or {@code delay} millis after the Redis server's "now"; with {@code
   * unique} (may be null) only if that key is not held.
   *
   * @return the script's accepting reply: "OK", or {@code ["EXISTS", id]} for a held unique key
   */
  private Object enqueueOne(Task task, String due, String delay, Duration timeout, UniqueKey unique)
      throws InterruptedException {
    Objects.requireNonNull(task, "task");
    requireNonNegative("timeout", timeout);
    checkOpen();
    config.limits().check(task);
    RedisKeys keys = RedisKeys.of(task.queue());
    durable.checkServer();
    redis.register(task.queue());
    String data = redis.codec().encode(task);
    List<String> keyList =
        new ArrayList<>(
            List.of(keys.ready(), keys.delayed(), keys.wakeups(), keys.tasks(), keys.enqueued()));
    keyList.addAll(keys.levelBlock());
    List<String> args =
        new ArrayList<>(
            List.of(
                task.id().value(),
                data,
                due,
                Integer.toString(config.capacityPerQueue()),
                UUID.randomUUID().toString(),
                "", // now, filled per try
                delay,
                proofMillis(timeout),
                Integer.toString(task.priority())));
    if (unique != null) {
      keyList.addAll(List.of(keys.unique(), keys.uniqueOf(), keys.uniqueUntil(), keys.dead()));
      args.add(unique.key());
      args.add(unique.window().map(w -> Long.toString(Math.max(1, w.toMillis()))).orElse(""));
    }
    String what = "enqueue task " + task.id();
    return untilAccepted(
        what,
        task.queue(),
        List.of(task.id()),
        timeout,
        () -> {
          args.set(5, redis.now());
          return durable.run(what, Script.ENQUEUE, keyList, args);
        });
  }

  void enqueueAll(List<Task> tasks, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(tasks, "tasks");
    requireNonNegative("timeout", timeout);
    checkOpen();
    if (tasks.isEmpty()) {
      return;
    }
    String queue = tasks.get(0).queue();
    Set<String> ids = new HashSet<>();
    for (Task t : tasks) {
      if (!t.queue().equals(queue)) {
        throw new IllegalArgumentException(
            "a batch must name one queue: " + queue + " and " + t.queue());
      }
      config.limits().check(t);
      if (!ids.add(t.id().value())) {
        throw new DuplicateTaskException(
            "task " + t.id() + " appears twice in the batch; nothing was enqueued");
      }
    }
    if (tasks.size() > config.capacityPerQueue()) {
      throw new IllegalArgumentException(
          "batch of "
              + tasks.size()
              + " can never fit queue "
              + queue
              + " of capacity "
              + config.capacityPerQueue());
    }
    RedisKeys keys = RedisKeys.of(queue);
    durable.checkServer();
    redis.register(queue);
    List<String> keyList =
        new ArrayList<>(
            List.of(keys.ready(), keys.delayed(), keys.wakeups(), keys.enqueued(), keys.tasks()));
    keyList.addAll(keys.levelBlock());
    List<String> args = new ArrayList<>(tasks.size() * 4 + 4);
    args.add(Integer.toString(config.capacityPerQueue()));
    args.add(""); // now, filled per call
    args.add(UUID.randomUUID().toString()); // the call's id, the same on every retry
    args.add(proofMillis(timeout));
    for (Task t : tasks) {
      args.add(t.id().value());
      args.add(redis.codec().encode(t));
      args.add("");
      args.add(Integer.toString(t.priority()));
    }
    String what = "enqueue batch of " + tasks.size() + " tasks";
    untilAccepted(
        what,
        queue,
        tasks.stream().map(Task::id).toList(),
        timeout,
        () -> {
          args.set(1, redis.now());
          return durable.run(what, Script.ENQUEUE_BATCH, keyList, args);
        });
  }

  /**
   * How long the proof of an enqueue call lives: past the last retry, which is sent before {@code
   * timeout} ends, with a margin of several socket timeouts for a retry that Redis runs late. The
   * proofs cost memory in proportion to the enqueue rate times this lifetime (one entry per call:
   * per task with {@code enqueue}, per batch with {@code enqueueAll}), so the margin is no wider
   * than that.
   */
  private static String proofMillis(Duration timeout) {
    return Long.toString(timeout.plus(PROOF_MARGIN).toMillis());
  }

  /**
   * Runs an enqueue script until it is accepted, retrying "full" and unreachable Redis with backoff
   * until timeout. Every try of one call carries the same proof key, and the script checks it
   * first: after a lost reply, a retry answers OK if an earlier try was applied, even if the tasks
   * have run since. A try that failed after its request may have reached Redis leaves the outcome
   * in doubt until a later try gets any answer; if none does before the timeout, the call ends with
   * {@link OutcomeUnknownException}, never with "nothing was enqueued". So does a try that Redis
   * applied but that the replicas did not confirm as {@link EnqueueDurability} asks: the tasks are
   * on the primary, and a new call with the same ids answers {@link DuplicateTaskException} while
   * they are held.
   *
   * @return the accepting reply: "OK", or {@code ["EXISTS", id]} (a held unique key)
   */
  private Object untilAccepted(
      String what, String queue, List<TaskId> ids, Duration timeout, Supplier<Object> call)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long backoffMs = 2;
    BrokerUnavailableException unavailable = null; // the last try's failure, if it failed
    BrokerUnavailableException doubt =
        null; // a try that may have been applied, with no answer since
    while (true) {
      if (closed.get() && doubt != null) {
        throw outcomeUnknown(what, ids, "the broker was closed", doubt);
      }
      checkOpen();
      Object reply;
      try {
        reply = call.get();
        unavailable = null;
        doubt =
            null; // any script reply settles it: the script answers OK for an applied earlier try
      } catch (BrokerUnavailableException e) {
        unavailable = e;
        if (RedisErrors.mayHaveRun(e)) {
          doubt = e;
        } // else nothing was sent, or Redis refused this try (OOM, BUSY): no news about an earlier
        // one
        reply = null;
      } catch (DurableEnqueue.NotConfirmedException e) {
        throw new OutcomeUnknownException(
            what + ": " + e.getMessage() + "; its " + ids.size() + " tasks are on the primary",
            ids,
            e);
      } catch (BrokerFullException e) {
        if (doubt == null) {
          throw e; // refused before it wrote anything, and no earlier try may have landed
        }
        // Redis out of memory refused this try unread: an earlier try in doubt may still have been
        // applied (its write
        // may be what filled the memory), so this is no answer; keep asking until the timeout, then
        // say "unknown".
        reply = null;
      }
      if ("OK".equals(reply)
          || (reply instanceof List<?> l && !l.isEmpty() && "EXISTS".equals(l.get(0)))) {
        return reply;
      }
      if (reply instanceof List<?> l && !l.isEmpty() && "DUPLICATE".equals(l.get(0))) {
        throw new DuplicateTaskException(
            "task "
                + l.get(1)
                + " is held by queue "
                + queue
                + " already; "
                + what
                + " enqueued nothing");
      }
      if ("DUPLICATE".equals(reply)) {
        throw new DuplicateTaskException(what + ": queue " + queue + " holds that id already");
      }
      if (reply != null && !"FULL".equals(reply)) {
        throw new IllegalStateException(what + ": unexpected reply " + reply);
      }
      long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
      if (remainingMs <= 0 && doubt != null) {
        throw outcomeUnknown(
            what, ids, "no try got an answer within " + timeout.toMillis() + "ms", doubt);
      }
      if (remainingMs <= 0 && unavailable != null) {
        throw unavailable;
      }
      if (remainingMs <= 0) {
        throw new QueueFullException(
            "queue "
                + queue
                + " is full (capacity "
                + config.capacityPerQueue()
                + ") for "
                + timeout
                + "; "
                + what
                + " enqueued nothing of "
                + ids.size());
      }
      try {
        Thread.sleep(Math.min(backoffMs, remainingMs));
      } catch (InterruptedException e) {
        if (doubt == null) {
          throw e; // nothing was enqueued, as the port promises
        }
        Thread.currentThread().interrupt();
        throw outcomeUnknown(what, ids, "interrupted", doubt);
      }
      backoffMs = Math.min(backoffMs * 2, MAX_ENQUEUE_BACKOFF_MS);
    }
  }

  private static OutcomeUnknownException outcomeUnknown(
      String what, List<TaskId> ids, String why, BrokerUnavailableException lost) {
    return new OutcomeUnknownException(
        what
            + ": outcome unknown, the reply was lost ("
            + lost.getMessage()
            + ") and "
            + why
            + "; its "
            + ids.size()
            + " tasks may or may not have been enqueued",
        ids,
        lost);
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new BrokerClosedException("broker closed: it accepts no more tasks");
    }
  }
}
