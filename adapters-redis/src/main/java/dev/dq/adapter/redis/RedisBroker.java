package dev.dq.adapter.redis;

import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.port.BrokerFullException;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.DuplicateTaskException;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import dev.dq.core.port.OutcomeUnknownException;
import dev.dq.core.port.QueueAdmin;
import dev.dq.core.port.QueueFullException;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Names;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * A {@link Broker} on Redis, shared by any number of producer and worker processes. Every state change is one Lua
 * script (see {@code dev/dq/redis/*.lua} and {@code docs/redis-data-model.md}); "now" is the Redis server's TIME, so
 * lease expiry never depends on worker clocks. Each delivery carries a fencing token: a settle with a stale token
 * changes nothing, throws {@link LeaseLostException} and is counted in {@link #leaseLostCount()}.
 *
 * <p>Thread-safe. {@link #close()} stops enqueues and blocking waits and drops idle connections; settling leases and
 * draining ready tasks still work afterwards, each on a connection of its own.
 */
public final class RedisBroker implements Broker, QueueAdmin {
  private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
  private static final long MAX_ENQUEUE_BACKOFF_MS = 100;
  /**
   * Least time Redis remembers an ack, so that repeating it after a lost reply answers exactly; it remembers it for
   * three times what was left of the lease when that is longer.
   */
  static final long ACK_MEMORY_MIN_MS = 10_000;
  private static final Duration PROOF_MARGIN = Duration.ofSeconds(15);

  private final RedisOps ops;
  private final RedisBrokerConfig config;
  private final Claimer claimer;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong leaseLost = new AtomicLong();
  private final RedisDeadLetterQueue deadLetters;
  private final Nonces nonces = new Nonces();

  private RedisBroker(UnifiedJedis jedis, boolean ownsClient, RedisBrokerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.ops = new RedisOps(Objects.requireNonNull(jedis, "jedis"), ownsClient, config);
    this.claimer = new Claimer(ops, closed);
    this.deadLetters = new RedisDeadLetterQueue(ops);
  }

  /**
   * A broker with its own connections, closed by {@link #close()}: a pool of {@link RedisBrokerConfig#poolSize()} for
   * commands and, apart from it, one connection per queue this instance is waiting on and a few for lease renewals
   * (each opened on first use). Does not connect yet.
   */
  public static RedisBroker connect(RedisBrokerConfig config) {
    return new RedisBroker(RedisConnections.create(config), true, config);
  }

  /**
   * A broker on a client the caller owns (and closes after this broker). Every call uses that client, blocking waits
   * too: one connection per queue this instance is waiting on, however many dequeues wait.
   */
  public static RedisBroker using(UnifiedJedis jedis, RedisBrokerConfig config) {
    return new RedisBroker(jedis, false, config);
  }

  /** The dead-letter queue of the same Redis, with the same capacity and limits. */
  public RedisDeadLetterQueue deadLetterQueue() {
    return deadLetters;
  }

  /** Settles refused because their lease was no longer valid (late acks of a lost lease, among others). */
  public long leaseLostCount() {
    return leaseLost.get();
  }

  /** Entries that claim moved to the dead set because they could not be decoded. */
  public long poisonCount() {
    return claimer.poisonCount();
  }

  /** Times a script had to be sent again after NOSCRIPT. */
  public long scriptReloadCount() {
    return ops.scriptReloads();
  }

  @Override
  public void enqueue(Task task, Duration timeout) throws InterruptedException {
    enqueueOne(task, "", "", timeout);
  }

  @Override
  public void enqueueAt(Task task, Instant notBefore, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(notBefore, "notBefore");
    enqueueOne(task, Long.toString(notBefore.toEpochMilli()), "", timeout);
  }

  /** The delay is added to the Redis server's TIME inside the script, so the producer's clock plays no part. */
  @Override
  public void enqueueIn(Task task, Duration delay, Duration timeout) throws InterruptedException {
    requireNonNegative("delay", delay);
    enqueueOne(task, "", Long.toString(delay.toMillis()), timeout);
  }

  /** @param due not-before epoch millis, or '' @param delay millis after Redis "now", or '' */
  private void enqueueOne(Task task, String due, String delay, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(task, "task");
    requireNonNegative("timeout", timeout);
    checkOpen();
    config.limits().check(task);
    RedisKeys keys = RedisKeys.of(task.queue());
    ops.register(task.queue());
    String data = ops.codec().encode(task);
    List<String> keyList = List.of(keys.ready(), keys.delayed(), keys.wakeups(), keys.task(task.id().value()),
        keys.enqueued());
    String call = UUID.randomUUID().toString();
    String what = "enqueue task " + task.id();
    untilAccepted(what, task.queue(), List.of(task.id()), timeout, () -> ops.script(what, Script.ENQUEUE, keyList,
        List.of(task.id().value(), data, Integer.toString(task.attempt()), due,
            Integer.toString(config.capacityPerQueue()), call, ops.now(), delay, proofMillis(timeout))));
  }

  @Override
  public void enqueueAll(List<Task> tasks, Duration timeout) throws InterruptedException {
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
        throw new IllegalArgumentException("a batch must name one queue: " + queue + " and " + t.queue());
      }
      config.limits().check(t);
      if (!ids.add(t.id().value())) {
        throw new DuplicateTaskException("task " + t.id() + " appears twice in the batch; nothing was enqueued");
      }
    }
    if (tasks.size() > config.capacityPerQueue()) {
      throw new IllegalArgumentException("batch of " + tasks.size() + " can never fit queue " + queue
          + " of capacity " + config.capacityPerQueue());
    }
    RedisKeys keys = RedisKeys.of(queue);
    ops.register(queue);
    List<String> keyList = new ArrayList<>(tasks.size() + 4);
    keyList.add(keys.ready());
    keyList.add(keys.delayed());
    keyList.add(keys.wakeups());
    keyList.add(keys.enqueued());
    List<String> args = new ArrayList<>(tasks.size() * 4 + 4);
    args.add(Integer.toString(config.capacityPerQueue()));
    args.add(""); // now, filled per call
    args.add(UUID.randomUUID().toString()); // the call's id, the same on every retry
    args.add(proofMillis(timeout));
    for (Task t : tasks) {
      keyList.add(keys.task(t.id().value()));
      args.addAll(List.of(t.id().value(), ops.codec().encode(t), Integer.toString(t.attempt()), ""));
    }
    String what = "enqueue batch of " + tasks.size() + " tasks";
    untilAccepted(what, queue, tasks.stream().map(Task::id).toList(), timeout, () -> {
      args.set(1, ops.now());
      return ops.script(what, Script.ENQUEUE_BATCH, keyList, args);
    });
  }

  /**
   * How long the proof of an enqueue call lives: past the last retry, which is sent before {@code timeout} ends, with
   * a margin of several socket timeouts for a retry that Redis runs late. The proofs cost memory in proportion to the
   * enqueue rate times this lifetime (one entry per call: per task with {@code enqueue}, per batch with {@code
   * enqueueAll}), so the margin is no wider than that.
   */
  private static String proofMillis(Duration timeout) {
    return Long.toString(timeout.plus(PROOF_MARGIN).toMillis());
  }

  /**
   * Runs an enqueue script until it is accepted, retrying "full" and unreachable Redis with backoff until timeout.
   * Every try of one call carries the same proof key, and the script checks it first: after a lost reply, a retry
   * answers OK if an earlier try was applied, even if the tasks have run since. A try that failed after its request
   * may have reached Redis leaves the outcome in doubt until a later try gets any answer; if none does before the
   * timeout, the call ends with {@link OutcomeUnknownException}, never with "nothing was enqueued".
   */
  private void untilAccepted(String what, String queue, List<TaskId> ids, Duration timeout, Supplier<Object> call)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long backoffMs = 2;
    BrokerUnavailableException unavailable = null; // the last try's failure, if it failed
    BrokerUnavailableException doubt = null; // a try that may have been applied, with no answer since
    while (true) {
      if (closed.get() && doubt != null) {
        throw outcomeUnknown(what, ids, "the broker was closed", doubt);
      }
      checkOpen();
      Object reply;
      try {
        reply = call.get();
        unavailable = null;
        doubt = null; // any script reply settles it: the script answers OK for an applied earlier try
      } catch (BrokerUnavailableException e) {
        unavailable = e;
        if (RedisErrors.mayHaveRun(e)) {
          doubt = e;
        } // else nothing was sent, or Redis refused this try (OOM, BUSY): no news about an earlier one
        reply = null;
      } catch (BrokerFullException e) {
        if (doubt == null) {
          throw e; // refused before it wrote anything, and no earlier try may have landed
        }
        // Redis out of memory refused this try unread: an earlier try in doubt may still have been applied (its write
        // may be what filled the memory), so this is no answer; keep asking until the timeout, then say "unknown".
        reply = null;
      }
      if ("OK".equals(reply)) {
        return;
      }
      if (reply instanceof List<?> l && !l.isEmpty() && "DUPLICATE".equals(l.get(0))) {
        throw new DuplicateTaskException("task " + l.get(1) + " is held by queue " + queue + " already; " + what
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
        throw outcomeUnknown(what, ids, "no try got an answer within " + timeout.toMillis() + "ms", doubt);
      }
      if (remainingMs <= 0 && unavailable != null) {
        throw unavailable;
      }
      if (remainingMs <= 0) {
        throw new QueueFullException("queue " + queue + " is full (capacity " + config.capacityPerQueue()
            + ") for " + timeout + "; " + what + " enqueued nothing of " + ids.size());
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

  private static OutcomeUnknownException outcomeUnknown(String what, List<TaskId> ids, String why,
      BrokerUnavailableException lost) {
    return new OutcomeUnknownException(what + ": outcome unknown, the reply was lost (" + lost.getMessage() + ") and "
        + why + "; its " + ids.size() + " tasks may or may not have been enqueued", ids, lost);
  }

  @Override
  public Optional<Lease> dequeue(String queue, Duration leaseTime, Duration wait) throws InterruptedException {
    Names.check("queue", queue);
    if (leaseTime == null || leaseTime.toMillis() < 1) {
      throw new IllegalArgumentException("leaseTime must be >= 1ms: " + leaseTime);
    }
    requireNonNegative("wait", wait);
    ops.registerLocally(queue);
    return claimer.dequeue(RedisKeys.of(queue), leaseTime, wait);
  }

  @Override
  public List<Lease> dequeueBatch(String queue, int max, Duration leaseTime, Duration wait)
      throws InterruptedException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1: " + max);
    }
    Names.check("queue", queue);
    if (leaseTime == null || leaseTime.toMillis() < 1) {
      throw new IllegalArgumentException("leaseTime must be >= 1ms: " + leaseTime);
    }
    requireNonNegative("wait", wait);
    ops.registerLocally(queue);
    return claimer.dequeueBatch(RedisKeys.of(queue), max, leaseTime, wait);
  }

  /**
   * One script per queue in the batch. Redis remembers each ack by its lease's token for a while (see {@link
   * #ACK_MEMORY_MIN_MS}), so a call repeated after a lost reply, immediately or later, with the same leases or some of
   * them among others, reports a lease the earlier call acked as acked.
   *
   * @throws BrokerUnavailableException Redis could not be reached; the message names the tasks, whose acks may or may
   *     not have landed: call again with the same leases to find out
   */
  @Override
  public List<Lease> ackAll(List<Lease> leases) {
    Map<String, List<Lease>> byQueue = new LinkedHashMap<>();
    leases.forEach(l -> byQueue.computeIfAbsent(l.task().queue(), q -> new ArrayList<>()).add(l));
    List<Lease> lost = new ArrayList<>();
    byQueue.forEach((queue, batch) -> lost.addAll(ackBatch(RedisKeys.of(queue), batch)));
    return lost;
  }

  private List<Lease> ackBatch(RedisKeys k, List<Lease> batch) {
    int n = batch.size();
    List<String> keys = new ArrayList<>(3 + n);
    keys.add(k.active());
    keys.add(k.leases());
    keys.add(k.acked());
    List<String> ids = new ArrayList<>(n);
    List<String> args = new ArrayList<>(2 * n + 2);
    for (Lease lease : batch) {
      String id = lease.task().id().value();
      ids.add(id);
      keys.add(k.task(id));
    }
    args.addAll(ids);
    batch.forEach(l -> args.add(Long.toString(l.token())));
    args.add(Long.toString(ACK_MEMORY_MIN_MS));
    args.add(ops.now());
    List<?> reply = (List<?>) ops.scriptRetryingOnce("ack " + n + " tasks of " + k.queue() + " " + ids,
        Script.ACK_BATCH, keys, args);
    List<Lease> lost = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if ((Long) reply.get(i) != 1L) {
        leaseLost.incrementAndGet();
        lost.add(batch.get(i));
      }
    }
    return lost;
  }

  /** Exact across its own retry after a lost reply; a later call with the same lease answers lease lost. */
  @Override
  public void ack(Lease lease) {
    RedisKeys k = keysOf(lease);
    String id = lease.task().id().value();
    settle("ack", lease, Script.ACK, List.of(k.active(), k.leases(), k.task(id), k.acked()),
        List.of(id, Long.toString(lease.token()), nonces.next(), Long.toString(ACK_MEMORY_MIN_MS), ops.now()),
        () -> false);
  }

  @Override
  public Lease extend(Lease lease, Duration leaseTime) {
    if (leaseTime == null || leaseTime.toMillis() < 1) {
      throw new IllegalArgumentException("leaseTime must be >= 1ms: " + leaseTime);
    }
    RedisKeys k = keysOf(lease);
    String id = lease.task().id().value();
    // On the renewal client: a renewal never waits behind the claims and acks of a saturated command pool.
    Object reply = ops.renewalScript("extend task " + id, Script.EXTEND, List.of(k.active(), k.leases()),
        List.of(id, Long.toString(lease.token()), Long.toString(leaseTime.toMillis()), ops.now()));
    if ("LEASE_LOST".equals(reply)) {
      throw lost("extend", lease);
    }
    return new Lease(lease.task(), lease.token(), Instant.ofEpochMilli((Long) reply));
  }

  /**
   * One script per queue in the batch (one round trip for all of a queue's leases), each lease judged on its own.
   * Renewing is idempotent, so a try lost with its connection is simply sent again.
   */
  @Override
  public List<Optional<Lease>> extendAll(List<Lease> leases, Duration leaseTime) {
    Objects.requireNonNull(leases, "leases");
    if (leaseTime == null || leaseTime.toMillis() < 1) {
      throw new IllegalArgumentException("leaseTime must be >= 1ms: " + leaseTime);
    }
    Map<String, List<Integer>> byQueue = new LinkedHashMap<>();
    for (int i = 0; i < leases.size(); i++) {
      byQueue.computeIfAbsent(keysOf(leases.get(i)).queue(), q -> new ArrayList<>()).add(i);
    }
    List<Optional<Lease>> out = new ArrayList<>(Collections.nCopies(leases.size(), Optional.empty()));
    byQueue.forEach((queue, positions) -> {
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
    List<String> args = new ArrayList<>(2 * n + 2);
    args.add(Long.toString(leaseTime.toMillis()));
    batch.forEach(l -> args.add(l.task().id().value()));
    batch.forEach(l -> args.add(Long.toString(l.token())));
    args.add(ops.now());
    List<?> reply = (List<?>) ops.renewalScript("extend " + n + " leases of " + k.queue(), Script.EXTEND_BATCH,
        List.of(k.active(), k.leases()), args);
    Instant expiry = Instant.ofEpochMilli((Long) reply.get(0));
    List<Optional<Lease>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Lease lease = batch.get(i);
      if ((Long) reply.get(1 + i) == 1L) {
        out.add(Optional.of(new Lease(lease.task(), lease.token(), expiry)));
      } else {
        leaseLost.incrementAndGet();
        log.debug("extend task {}: lease {} is no longer valid", lease.task().id(), lease.token());
        out.add(Optional.empty());
      }
    }
    return out;
  }

  @Override
  public void retryLater(Lease lease, Duration delay) {
    requireNonNegative("delay", delay);
    RedisKeys k = keysOf(lease);
    String id = lease.task().id().value();
    settle("retry", lease, Script.RETRY,
        List.of(k.active(), k.leases(), k.task(id), k.ready(), k.delayed(), k.wakeups()),
        List.of(id, Long.toString(lease.token()), Integer.toString(lease.task().attempt() + 1),
            Long.toString(delay.toMillis()), ops.now()), () -> false);
  }

  @Override
  public void release(Lease lease, Duration delay) {
    requireNonNegative("delay", delay);
    RedisKeys k = keysOf(lease);
    String id = lease.task().id().value();
    settle("release", lease, Script.RELEASE, List.of(k.active(), k.leases(), k.ready(), k.delayed(), k.wakeups()),
        List.of(id, Long.toString(lease.token()), Long.toString(delay.toMillis()), ops.now()), () -> false);
  }

  @Override
  public void deadLetter(Lease lease, Failure failure) {
    Objects.requireNonNull(failure, "failure");
    RedisKeys k = keysOf(lease);
    String id = lease.task().id().value();
    settle("dead-letter", lease, Script.DEAD_LETTER,
        List.of(k.active(), k.leases(), k.task(id), k.dead(), k.deadSeq()),
        List.of(id, Long.toString(lease.token()), ops.codec().encodeFailure(failure), ops.now()),
        () -> ops.call("check dead-letter of task " + id, () -> ops.jedis().zscore(k.dead(), id)) != null);
  }

  /**
   * Runs a settle script. A connection failure leaves it unknown whether the first try ran; the retry then answers
   * LEASE_LOST if it did, so {@code doneByFirstTry} checks for the first try's effect before reporting a lost lease.
   * Ack needs no check (its script remembers the call). Retry and release are not checked: if their first try ran, the
   * task is queued again, as LEASE_LOST says.
   */
  private Object settle(String what, Lease lease, Script script, List<String> keys, List<String> args,
      BooleanSupplier doneByFirstTry) {
    String label = what + " task " + lease.task().id();
    AtomicBoolean retried = new AtomicBoolean();
    Object reply = ops.scriptRetryingOnce(label, script, keys, args, retried);
    if ("LEASE_LOST".equals(reply)) {
      if (retried.get() && doneByFirstTry.getAsBoolean()) {
        log.debug("{}: the try before the connection failure did it", label);
        return "OK";
      }
      throw lost(what, lease);
    }
    return reply;
  }

  /** Counts a settle refused for a lease no longer valid, and the exception that reports it. */
  private LeaseLostException lost(String what, Lease lease) {
    leaseLost.incrementAndGet();
    log.debug("{} task {}: lease {} is no longer valid", what, lease.task().id(), lease.token());
    return new LeaseLostException("task " + lease.task().id() + ": lease " + lease.token() + " (expiring at "
        + lease.expiresAt() + ") is no longer valid; " + what + " changed nothing");
  }

  @Override
  public int reclaimExpiredLeases() {
    int total = 0;
    for (String queue : ops.queues()) {
      RedisKeys k = RedisKeys.of(queue);
      List<String> keys = List.of(k.active(), k.leases(), k.ready(), k.wakeups());
      int n;
      do {
        Object reply = ops.scriptRetryingOnce("reclaim expired leases of " + queue, Script.RECLAIM, keys,
            List.of(Integer.toString(config.reclaimBatch()), ops.now()));
        n = ((Long) reply).intValue();
        total += n;
      } while (n == config.reclaimBatch());
    }
    if (total > 0) {
      log.debug("reclaimed {} expired leases", total);
    }
    return total;
  }

  @Override
  public QueueStats stats(String queue) {
    RedisKeys k = RedisKeys.of(queue);
    List<?> r = (List<?>) ops.scriptRetryingOnce("stats of " + queue, Script.STATS,
        List.of(k.ready(), k.active(), k.delayed()), List.of(ops.now()));
    return new QueueStats(queue, (Long) r.get(0), (Long) r.get(1), (Long) r.get(2));
  }

  @Override
  public List<String> queues() {
    return ops.queues().stream().sorted().toList();
  }

  /** Stops enqueues, wakes this instance's blocked dequeues, then drops an owned client's idle connections. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    claimer.wakeAndAwaitWaiters(config.blockTimeout().plus(config.socketTimeout()));
    ops.close();
    log.info("redis broker for {} closed", config.url());
  }

  private RedisKeys keysOf(Lease lease) {
    Objects.requireNonNull(lease, "lease");
    return RedisKeys.of(lease.task().queue());
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new BrokerClosedException("broker closed: it accepts no more tasks");
    }
  }

  private static void requireNonNegative(String what, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be >= 0: " + d);
    }
  }

  /**
   * Removes every key of {@code queue}, and its name from the queue list, if it holds no task at all (none ready,
   * delayed, in flight or dead). For operators and benchmarks that create short-lived queues; atomic, so a task
   * enqueued concurrently is never deleted.
   *
   * @throws IllegalStateException the queue still holds tasks (the message gives the counts); nothing changed
   */
  @Override
  public void deleteQueue(String queue) {
    Names.check("queue", queue);
    RedisKeys k = RedisKeys.of(queue);
    Object reply = ops.scriptRetryingOnce("delete queue " + queue, Script.QUEUE_DELETE,
        List.of(k.ready(), k.delayed(), k.active(), k.dead(), k.leases(), k.tokenSeq(), k.wakeups(), k.deadSeq(),
            k.acked(), k.enqueued()),
        List.of());
    if (reply instanceof List<?> counts) {
      throw new IllegalStateException("queue " + queue + " is not empty: ready=" + counts.get(1) + " delayed="
          + counts.get(2) + " in_flight=" + counts.get(3) + " dead=" + counts.get(4));
    }
    ops.unregister(queue);
    claimer.forget(k);
  }

  /**
   * The server's {@code used_memory} from {@code INFO memory}, for capacity planning and benchmarks (bytes per queued
   * task); -1 on a cluster, where it would be one node's figure only.
   */
  @Override
  public long usedMemoryBytes() {
    if (config.cluster()) {
      return -1;
    }
    String info = ops.call("read memory use", () -> ops.jedis().info("memory"));
    return info.lines()
        .filter(line -> line.startsWith("used_memory:"))
        .mapToLong(line -> Long.parseLong(line.substring("used_memory:".length()).trim()))
        .findFirst()
        .orElse(-1);
  }

  /** The client of ordinary commands (claims, acks, enqueues); package-private for tests that exhaust its pool. */
  UnifiedJedis commandClient() {
    return ops.jedis();
  }

  @Override
  public String toString() {
    return "RedisBroker[" + config.url() + "]";
  }
}
