package dev.dq.adapter.redis;

import static dev.dq.adapter.redis.Arguments.requireLeaseTime;
import static dev.dq.adapter.redis.Arguments.requireNonNegative;

import dev.dq.core.lifecycle.Completion;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import dev.dq.core.port.TaskCancelledException;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.TaskLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fenced settles of {@link RedisBroker}: ack, extend, retry, release and dead-letter of a
 * lease, one or a batch. Each is one script that checks the lease's fencing token and expiry on the
 * Redis server's clock first; a settle with a stale token changes nothing, throws {@link
 * LeaseLostException} (or reports the lease in a batch's reply) and is counted in {@link
 * #leaseLostCount()}. Renewals run on the renewal client, so they never wait behind claims and
 * acks.
 */
final class Settler {
  // Logs under RedisBroker's name, as before this part was split out of it, so logging settings
  // keep applying.
  private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);

  /**
   * Least time Redis remembers an ack, so that repeating it after a lost reply answers exactly; it
   * remembers it for three times what was left of the lease when that is longer.
   */
  static final long ACK_MEMORY_MIN_MS = 10_000;

  /** Most leases one ack-batch call settles for the concurrent acks it serves. */
  private static final int MAX_COMBINED_ACK = 1000;

  /** Task ids a failed ack's message names at most. */
  private static final int IDS_SHOWN = 16;

  private final RedisGateway redis;
  private final AtomicLong leaseLost = new AtomicLong();
  private final Nonces nonces = new Nonces();
  private final Map<String, Combiner<List<Completion>, List<Lease>>> ackCombiners =
      new ConcurrentHashMap<>();

  Settler(RedisGateway redis) {
    this.redis = redis;
  }

  /** Settles refused because their lease was no longer valid. */
  long leaseLostCount() {
    return leaseLost.get();
  }

  List<Lease> ackAll(List<Lease> leases) {
    List<Completion> completions = new ArrayList<>(leases.size());
    leases.forEach(l -> completions.add(new Completion(l, Optional.empty())));
    return complete(completions);
  }

  /**
   * Acks successes with their results (see {@link dev.dq.core.lifecycle.TaskLookup#complete}).
   *
   * @throws InvalidTaskException a result is larger than the result limit; nothing was acked
   */
  List<Lease> complete(List<Completion> completions) {
    TaskLimits limits = redis.config().limits();
    for (Completion c : completions) {
      keysOf(c.lease());
      c.result().ifPresent(r -> limits.checkResult(c.lease().task().id(), r.size()));
    }
    Map<String, List<Completion>> byQueue = new LinkedHashMap<>();
    completions.forEach(
        c -> byQueue.computeIfAbsent(c.lease().task().queue(), q -> new ArrayList<>()).add(c));
    List<Lease> lost = new ArrayList<>();
    byQueue.forEach(
        (queue, batch) ->
            lost.addAll(
                ackCombiners
                    .computeIfAbsent(queue, q -> new Combiner<>(List::size, MAX_COMBINED_ACK))
                    .submit(batch, batches -> ackBatches(RedisKeys.of(queue), batches))));
    return lost;
  }

  /**
   * Acks the leases of several concurrent {@link #ackAll} calls (one queue) in one script call;
   * answers each call's lost leases.
   */
  private List<List<Lease>> ackBatches(RedisKeys k, List<List<Completion>> batches) {
    if (batches.size() == 1) {
      return List.of(ackBatch(k, batches.get(0)));
    }
    List<Completion> all = new ArrayList<>();
    batches.forEach(all::addAll);
    Set<Lease> lost = Collections.newSetFromMap(new IdentityHashMap<>());
    lost.addAll(ackBatch(k, all));
    List<List<Lease>> out = new ArrayList<>(batches.size());
    for (List<Completion> batch : batches) {
      out.add(batch.stream().map(Completion::lease).filter(lost::contains).toList());
    }
    return out;
  }

  private List<Lease> ackBatch(RedisKeys k, List<Completion> completions) {
    int n = completions.size();
    List<Lease> batch = new ArrayList<>(n);
    completions.forEach(c -> batch.add(c.lease()));
    List<String> keys =
        new ArrayList<>(
            List.of(
                k.active(),
                k.leases(),
                k.tasks(),
                k.attempts(),
                k.priorities(),
                k.records(),
                k.finished(),
                k.started(),
                k.errors(),
                k.cancelled()));
    List<String> args = new ArrayList<>(7 * n + 3);
    args.add(Long.toString(ACK_MEMORY_MIN_MS));
    args.add(redis.now());
    args.add(Integer.toString(n));
    addLeases(k, batch, keys, args);
    completions.forEach(c -> args.add(RecordJson.head(c.lease().task())));
    completions.forEach(c -> args.add(RecordJson.tail(c.result())));
    batch.forEach(l -> args.add(l.task().attempt() > 1 ? "1" : "0"));
    List<?> reply =
        (List<?>)
            redis.scriptRetryingOnce(
                "ack " + n + " tasks of " + k.queue() + " " + idsOf(batch),
                Script.ACK_BATCH,
                keys,
                args);
    List<Lease> lost = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if ((Long) reply.get(i) != 1L) {
        leaseLost.incrementAndGet();
        lost.add(batch.get(i));
      }
    }
    return lost;
  }

  /** The ids of up to {@link #IDS_SHOWN} leases, for the message of a failed call. */
  private static String idsOf(List<Lease> leases) {
    StringBuilder ids = new StringBuilder("[");
    for (int i = 0; i < Math.min(leases.size(), IDS_SHOWN); i++) {
      ids.append(i == 0 ? "" : ", ").append(leases.get(i).task().id().value());
    }
    return ids.append(leases.size() > IDS_SHOWN ? ", ...]" : "]").toString();
  }

  /**
   * Appends what ack-batch and extend-batch take per lease: the ids, the tokens, then for each
   * token the index in {@code keys} of the bitmap that remembers its ack (the distinct bitmaps are
   * appended to {@code keys}) and its bit there.
   */
  private static void addLeases(
      RedisKeys k, List<Lease> batch, List<String> keys, List<String> args) {
    batch.forEach(l -> args.add(l.task().id().value()));
    batch.forEach(l -> args.add(Long.toString(l.token())));
    Map<Long, Integer> bitmaps = new LinkedHashMap<>();
    for (Lease l : batch) {
      long bucket = l.token() / RedisKeys.ACKED_BITS;
      Integer at = bitmaps.get(bucket);
      if (at == null) {
        keys.add(k.ackedBits(bucket));
        at = keys.size(); // Lua's KEYS index, from 1
        bitmaps.put(bucket, at);
      }
      args.add(Integer.toString(at));
    }
    batch.forEach(l -> args.add(Long.toString(l.token() % RedisKeys.ACKED_BITS)));
  }

  void ack(Lease lease) {
    RedisKeys k = keysOf(lease);
    String id = lease.task().id().value();
    settle(
        "ack",
        lease,
        Script.ACK,
        List.of(
            k.active(),
            k.leases(),
            k.tasks(),
            k.attempts(),
            k.acked(),
            k.priorities(),
            k.records(),
            k.finished(),
            k.started(),
            k.errors(),
            k.cancelled()),
        List.of(
            id,
            Long.toString(lease.token()),
            nonces.next(),
            Long.toString(ACK_MEMORY_MIN_MS),
            RecordJson.head(lease.task()),
            RecordJson.tail(Optional.empty()),
            redis.now()),
        () -> false);
  }

  Lease extend(Lease lease, Duration leaseTime) {
    requireLeaseTime(leaseTime);
    RedisKeys k = keysOf(lease);
    String id = lease.task().id().value();
    // On the renewal client: a renewal never waits behind the claims and acks of a saturated
    // command pool.
    Object reply =
        redis.renewalScript(
            "extend task " + id,
            Script.EXTEND,
            List.of(k.active(), k.leases()),
            List.of(
                id,
                Long.toString(lease.token()),
                Long.toString(leaseTime.toMillis()),
                redis.now()));
    if ("LEASE_LOST".equals(reply)) {
      throw lost("extend", lease);
    }
    return new Lease(lease.task(), lease.token(), Instant.ofEpochMilli((Long) reply));
  }

  List<Optional<Lease>> extendAll(List<Lease> leases, Duration leaseTime) {
    Objects.requireNonNull(leases, "leases");
    requireLeaseTime(leaseTime);
    Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
    for (int i = 0; i < leases.size(); i++) {
      byQueue.computeIfAbsent(keysOf(leases.get(i)).queue(), q -> new ArrayList<>()).add(i);
    }
    List<Optional<Lease>> out =
        new ArrayList<>(Collections.nCopies(leases.size(), Optional.empty()));
    byQueue.forEach(
        (queue, positions) -> {
          List<Lease> batch = positions.stream().map(leases::get).toList();
          List<Optional<Lease>> extended = extendBatch(RedisKeys.of(queue), batch, leaseTime);
          for (int j = 0; j < positions.size(); j++) {
            out.set(positions.get(j), extended.get(j));
          }
        });
    return out;
  }

  private List<Optional<Lease>> extendBatch(RedisKeys k, List<Lease> batch, Duration leaseTime) {
    int n = batch.size();
    List<String> keys = new ArrayList<>(List.of(k.active(), k.leases()));
    List<String> args = new ArrayList<>(4 * n + 3);
    args.add(Long.toString(leaseTime.toMillis()));
    args.add(redis.now());
    args.add(Integer.toString(n));
    addLeases(k, batch, keys, args);
    List<?> reply =
        (List<?>)
            redis.renewalScript(
                "extend " + n + " leases of " + k.queue(), Script.EXTEND_BATCH, keys, args);
    Instant expiry = Instant.ofEpochMilli((Long) reply.get(0));
    List<Optional<Lease>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Lease lease = batch.get(i);
      long outcome = (Long) reply.get(1 + i);
      if (outcome == 1L) {
        out.add(Optional.of(new Lease(lease.task(), lease.token(), expiry)));
      } else if (outcome == 2L) {
        // the renewal raced the task's own ack: the task is done, no lease was lost
        log.debug("extend task {}: already acked with lease {}", lease.task().id(), lease.token());
        out.add(Optional.empty());
      } else {
        leaseLost.incrementAndGet();
        log.debug("extend task {}: lease {} is no longer valid", lease.task().id(), lease.token());
        out.add(Optional.empty());
      }
    }
    return out;
  }

  void retryLater(Lease lease, Duration delay, Failure lastError) {
    requireNonNegative("delay", delay);
    RedisKeys k = keysOf(lease);
    String id = lease.task().id().value();
    Object reply =
        settle(
            "retry",
            lease,
            Script.RETRY,
            withCancelKeys(
                withLevels(
                    k, k.active(), k.leases(), k.attempts(), k.ready(), k.delayed(), k.wakeups()),
                RedisCancels.endKeys(k, k.tasks())),
            List.of(
                id,
                Long.toString(lease.token()),
                Integer.toString(lease.task().attempt() + 1),
                Long.toString(delay.toMillis()),
                lastError == null ? "" : redis.codec().encodeFailure(lastError),
                redis.now()),
            () -> false);
    endedCancelled(reply, "retry", id);
  }

  void release(Lease lease, Duration delay) {
    requireNonNegative("delay", delay);
    RedisKeys k = keysOf(lease);
    String id = lease.task().id().value();
    Object reply =
        settle(
            "release",
            lease,
            Script.RELEASE,
            withCancelKeys(
                withLevels(k, k.active(), k.leases(), k.ready(), k.delayed(), k.wakeups()),
                RedisCancels.endKeys(k, k.tasks(), k.attempts())),
            List.of(id, Long.toString(lease.token()), Long.toString(delay.toMillis()), redis.now()),
            () -> false);
    endedCancelled(reply, "release", id);
  }

  void deadLetter(Lease lease, Failure failure) {
    Objects.requireNonNull(failure, "failure");
    RedisKeys k = keysOf(lease);
    String id = lease.task().id().value();
    settle(
        "dead-letter",
        lease,
        Script.DEAD_LETTER,
        deadLetterKeys(k),
        List.of(
            id, Long.toString(lease.token()), redis.codec().encodeFailure(failure), redis.now()),
        () ->
            redis.call("check dead-letter of task " + id, () -> redis.jedis().zscore(k.dead(), id))
                != null);
  }

  /**
   * Runs a settle script. A connection failure leaves it unknown whether the first try ran; the
   * retry then answers LEASE_LOST if it did, so {@code doneByFirstTry} checks for the first try's
   * effect before reporting a lost lease. Ack needs no check (its script remembers the call). Retry
   * and release are not checked: if their first try ran, the task is queued again, as LEASE_LOST
   * says.
   */
  private Object settle(
      String what,
      Lease lease,
      Script script,
      List<String> keys,
      List<String> args,
      BooleanSupplier doneByFirstTry) {
    String label = what + " task " + lease.task().id();
    AtomicBoolean retried = new AtomicBoolean();
    Object reply = redis.scriptRetryingOnce(label, script, keys, args, retried);
    if ("LEASE_LOST".equals(reply)) {
      if (retried.get() && doneByFirstTry.getAsBoolean()) {
        log.debug("{}: the try before the connection failure did it", label);
        return "OK";
      }
      throw lost(what, lease);
    }
    return reply;
  }

  /**
   * Counts a settle refused for a lease no longer valid, and the exception that reports it; also
   * for the settle of a cancel ({@link RedisCancels}).
   */
  LeaseLostException lost(String what, Lease lease) {
    leaseLost.incrementAndGet();
    log.debug("{} task {}: lease {} is no longer valid", what, lease.task().id(), lease.token());
    return new LeaseLostException(
        "task "
            + lease.task().id()
            + ": lease "
            + lease.token()
            + " (expiring at "
            + lease.expiresAt()
            + ") is no longer valid; "
            + what
            + " changed nothing");
  }

  /**
   * Retry and release of a task whose cancel was requested end it as cancelled instead (the script
   * answers {@code CANCELLED}), which the port reports with {@link TaskCancelledException}.
   */
  private static void endedCancelled(Object reply, String what, String id) {
    if ("CANCELLED".equals(reply)) {
      throw new TaskCancelledException(
          what + " task " + id + ": its cancel was requested; it ended as cancelled");
    }
  }

  /** {@code keys} then {@code more}, in one list. */
  private static List<String> withCancelKeys(List<String> keys, List<String> more) {
    keys.addAll(more);
    return keys;
  }

  /** {@code keys}, then the priority levels' block of {@code k} (see {@code _levels.lua}). */
  static List<String> withLevels(RedisKeys k, String... keys) {
    List<String> all = new ArrayList<>(keys.length + k.levelBlock().size());
    all.addAll(List.of(keys));
    all.addAll(k.levelBlock());
    return all;
  }

  /** The KEYS of dead-letter.lua. */
  static List<String> deadLetterKeys(RedisKeys k) {
    return List.of(
        k.active(),
        k.leases(),
        k.failures(),
        k.dead(),
        k.deadSeq(),
        k.started(),
        k.errors(),
        k.cancelled());
  }

  private static RedisKeys keysOf(Lease lease) {
    Objects.requireNonNull(lease, "lease");
    return RedisKeys.of(lease.task().queue());
  }
}
