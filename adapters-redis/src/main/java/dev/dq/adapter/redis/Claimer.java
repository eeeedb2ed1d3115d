package dev.dq.adapter.redis;

import dev.dq.adapter.redis.TaskCodec.UndecodableTaskException;
import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dequeue without busy polling. The claim script never blocks; when it finds nothing, the caller
 * waits for the queue's wakeup list, which every enqueue pushes to, for at most {@link
 * RedisBrokerConfig#blockTimeout()} (and no longer than until the next delayed task is due), then
 * claims again. The idle dequeues of one queue share one blocking wait (see {@link SharedWaits}),
 * so waiting never holds a command connection. Jedis blocking calls ignore interrupts, so each
 * block is short and interruption and close are checked between blocks.
 *
 * <p>A paused queue's claim answers {@code PAUSED} with the time the pause has left: the caller
 * waits as on an empty queue (resume pushes wake-ups), and this instance's pause listeners are
 * told.
 *
 * <p>A claimed entry that cannot be decoded is moved to the dead set with the reason, and the claim
 * goes on.
 */
final class Claimer {
  private static final Logger log = LoggerFactory.getLogger(Claimer.class);
  private static final int PROMOTE_BATCH = 100;
  private static final long PAUSE_AFTER_FAILED_WAIT_MS = 50;

  /** Kept claim replies one claim deletes at most (see {@link #receivedReplies}). */
  private static final int FORGET_PER_CLAIM = 16;

  /** Most tasks one claim takes for the concurrent dequeues it serves. */
  private static final int MAX_COMBINED_CLAIM = 500;

  private final RedisGateway redis;
  private final AtomicBoolean closed;
  private final AtomicLong poison = new AtomicLong();
  private final Nonces nonces = new Nonces();
  private final Set<String> waitedOn = ConcurrentHashMap.newKeySet();
  private final Map<String, Queue<String>> received = new ConcurrentHashMap<>();
  private final Map<String, Combiner<Integer, Raw>> combiners = new ConcurrentHashMap<>();
  private final AtomicInteger waiters = new AtomicInteger();
  private final Object noWaiters = new Object();
  private final SharedWaits waits;
  private final RedisLimits limits;
  private final Pauser pauser;

  Claimer(RedisGateway redis, AtomicBoolean closed, RedisLimits limits, Pauser pauser) {
    this.redis = redis;
    this.closed = closed;
    this.limits = limits;
    this.pauser = pauser;
    this.waits = new SharedWaits(redis, closed);
  }

  long poisonCount() {
    return poison.get();
  }

  Optional<Lease> dequeue(RedisKeys keys, Duration leaseTime, Duration wait)
      throws InterruptedException {
    List<Lease> one = dequeueBatch(keys, 1, leaseTime, wait);
    return one.isEmpty() ? Optional.empty() : Optional.of(one.get(0));
  }

  /** Claims up to {@code max} tasks in one round trip, waiting up to {@code wait} for the first. */
  List<Lease> dequeueBatch(RedisKeys keys, int max, Duration leaseTime, Duration wait)
      throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while dequeuing from " + keys.queue());
      }
      Claimed c = claimOnce(keys, leaseTime, max);
      if (c.leases.size() == max) {
        waits.more(keys); // a full batch: more may be ready for an idle dequeue of this instance
      }
      if (!c.leases.isEmpty()) {
        return c.leases;
      }
      if (closed.get()) {
        throw new BrokerClosedException(
            "broker closed and queue " + keys.queue() + " has no ready task");
      }
      long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
      if (remainingMs <= 0) {
        return List.of();
      }
      long blockMs = Math.min(remainingMs, redis.config().blockTimeout().toMillis());
      if (c.nextDueMs >= 0) {
        blockMs = Math.max(1, Math.min(blockMs, c.nextDueMs));
      }
      awaitWakeup(keys, blockMs);
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while dequeuing from " + keys.queue());
      }
    }
  }

  /**
   * Leases up to {@code max} ready tasks with their data. Returns no leases only when nothing was
   * ready: if every task claimed turned out undecodable (now dead-lettered), it claims again.
   * Concurrent claims of one queue share one round trip (see {@link Combiner}).
   */
  private Claimed claimOnce(RedisKeys keys, Duration leaseTime, int max) {
    long leaseMs = leaseTime.toMillis();
    Combiner<Integer, Raw> combiner =
        combiners.computeIfAbsent(
            keys.queue() + "/" + leaseMs, k -> new Combiner<>(n -> n, MAX_COMBINED_CLAIM));
    while (true) {
      Raw raw = combiner.submit(max, wants -> share(claimRaw(keys, leaseMs, sum(wants)), wants));
      if (raw.entries.isEmpty()) {
        return new Claimed(List.of(), raw.nextDueMs);
      }
      List<Lease> leases = new ArrayList<>(raw.entries.size());
      for (Entry e : raw.entries) {
        try {
          Task task = redis.codec().decode(e.data, e.id, keys.queue(), e.attempt);
          leases.add(new Lease(task, e.token, Instant.ofEpochMilli(raw.expiry)));
        } catch (UndecodableTaskException ex) {
          bury(
              keys,
              e.id,
              e.token,
              e.attempt,
              ex.getMessage(),
              Instant.ofEpochMilli(raw.expiry - leaseMs));
        }
      }
      if (!leases.isEmpty()) {
        return new Claimed(leases, -1);
      }
    }
  }

  private static int sum(List<Integer> wants) {
    int total = 0;
    for (int n : wants) {
      total += n;
    }
    return total;
  }

  /**
   * Splits one claim's entries among the requests, in order, each taking up to what it asked for. A
   * request left with none while others got some is told to claim again at once (next due 0): more
   * may be ready by then.
   */
  private static List<Raw> share(Raw raw, List<Integer> wants) {
    List<Raw> out = new ArrayList<>(wants.size());
    int from = 0;
    for (int n : wants) {
      int to = Math.min(raw.entries.size(), from + n);
      if (from == to) {
        out.add(new Raw(raw.expiry, List.of(), raw.entries.isEmpty() ? raw.nextDueMs : 0));
      } else {
        out.add(new Raw(raw.expiry, raw.entries.subList(from, to), -1));
      }
      from = to;
    }
    return out;
  }

  /**
   * One claim script call (more if every task it took was dead-lettered unread) for up to {@code n}
   * tasks: their leases with their raw data, not yet decoded.
   */
  private Raw claimRaw(RedisKeys keys, long leaseMs, int n) {
    Queue<String> received = receivedReplies(keys);
    while (true) {
      // A fresh nonce per call: the retry after a lost reply reuses it and gets the leases the
      // first try took.
      String claimReply = keys.claimReply(nonces.next());
      List<String> claimKeys =
          new ArrayList<>(
              List.of(
                  keys.ready(),
                  keys.delayed(),
                  keys.active(),
                  keys.leases(),
                  keys.tokenSeq(),
                  keys.wakeups(),
                  keys.tasks(),
                  keys.attempts(),
                  keys.dead(),
                  keys.deadSeq(),
                  keys.failures(),
                  claimReply));
      RedisLimits.ClaimPart limited = limits.forClaim(keys); // limits: after KEYS[12]
      claimKeys.addAll(limited.keys());
      int levels = claimKeys.size() + 1; // the priority levels' block, after the limits' keys
      claimKeys.addAll(keys.levelBlock());
      claimKeys.add(keys.errors()); // KEYS[ARGV[9] - 2]
      claimKeys.add(keys.cancelled()); // KEYS[ARGV[9] - 1]
      claimKeys.add(keys.started()); // KEYS[ARGV[9]]
      int started = claimKeys.size();
      claimKeys.add(keys.paused()); // the last key before the kept replies: KEYS[ARGV[6] - 1]
      int firstForgotten = claimKeys.size() + 1; // Lua counts from 1
      // The kept replies of earlier claims that arrived: this call deletes them.
      for (int i = 0; i < FORGET_PER_CLAIM; i++) {
        String done = received.poll();
        if (done == null) {
          break;
        }
        claimKeys.add(done);
      }
      List<?> r =
          (List<?>)
              redis.scriptRetryingOnce(
                  "claim from " + keys.queue(),
                  Script.CLAIM,
                  claimKeys,
                  List.of(
                      Long.toString(leaseMs),
                      Integer.toString(PROMOTE_BATCH),
                      Integer.toString(n),
                      Long.toString(redis.config().maxDataBytes()),
                      redis.now(),
                      Integer.toString(firstForgotten),
                      limited.arg(),
                      Integer.toString(levels),
                      Integer.toString(started),
                      TaskInfoCodec.WORKER));
      if ("LIMITED".equals(r.get(0))) { // held back by a limit: wait for its opening
        limits.heldBack(keys.queue(), (String) r.get(2));
        return new Raw(0, List.of(), (Long) r.get(1));
      }
      if ("EMPTY".equals(r.get(0))) {
        return new Raw(0, List.of(), (Long) r.get(1));
      }
      if ("PAUSED".equals(r.get(0))) {
        // Wait for a wake-up (resume pushes some) or the pause's end, as on an empty queue.
        pauser.tell(keys.queue());
        return new Raw(0, List.of(), (Long) r.get(1));
      }
      reportBuried(keys, (List<?>) r.get(3));
      List<?> leased = (List<?>) r.get(2);
      if (leased.isEmpty()) {
        continue; // every task taken was dead-lettered: claim again
      }
      received.add(claimReply);
      List<Entry> entries = new ArrayList<>(leased.size() / 4);
      for (int i = 0; i < leased.size(); i += 4) {
        String data = (String) leased.get(i + 2);
        if (data != null) { // null: a retried claim whose task was settled meanwhile
          entries.add(
              new Entry(
                  (String) leased.get(i),
                  (Long) leased.get(i + 1),
                  data,
                  (String) leased.get(i + 3)));
        }
      }
      return new Raw((Long) r.get(1), entries, -1);
    }
  }

  private Queue<String> receivedReplies(RedisKeys keys) {
    return received.computeIfAbsent(keys.queue(), q -> new ConcurrentLinkedQueue<>());
  }

  /** Logs the entries the claim script dead-lettered unread: {@code [id, reason, ...]}. */
  private void reportBuried(RedisKeys keys, List<?> dead) {
    for (int i = 0; i < dead.size(); i += 2) {
      poison.incrementAndGet();
      log.warn(
          "queue {}: task {} moved to the dead-letter queue unread: {}",
          keys.queue(),
          dead.get(i),
          dead.get(i + 1));
    }
  }

  /**
   * Moves an undecodable entry to the dead set under the lease just taken (its clock: the claim's
   * server time).
   */
  private void bury(
      RedisKeys keys, String id, long token, String attempt, String reason, Instant claimedAt) {
    int attempts;
    try {
      attempts = attempt == null ? 1 : Integer.parseInt(attempt);
    } catch (NumberFormatException e) {
      attempts = 1;
    }
    Failure failure = new Failure(UndecodableTaskException.ERROR_TYPE, reason, attempts, claimedAt);
    Object reply =
        redis.scriptRetryingOnce(
            "dead-letter undecodable task " + id,
            Script.DEAD_LETTER,
            Settler.deadLetterKeys(keys),
            List.of(id, Long.toString(token), redis.codec().encodeFailure(failure), redis.now()));
    if ("OK".equals(reply)) {
      poison.incrementAndGet();
      log.warn(
          "queue {}: task {} moved to the dead-letter queue: cannot decode it: {}",
          keys.queue(),
          id,
          reason);
    }
  }

  private void awaitWakeup(RedisKeys keys, long blockMs) throws InterruptedException {
    waiters.incrementAndGet();
    waitedOn.add(keys.wakeups());
    boolean failed = false;
    try {
      waits.await(keys, blockMs);
    } catch (BrokerUnavailableException e) {
      // A cut connection ends the wait early; the next claim tells whether Redis is really gone.
      log.debug(
          "wait on queue {} interrupted by a connection failure: {}", keys.queue(), e.getMessage());
      failed = true;
    } catch (BrokerClosedException e) {
      // Closed while on its way to wait: the next claim drains what is ready, then reports the
      // close.
    } finally {
      if (waiters.decrementAndGet() == 0) {
        synchronized (noWaiters) {
          noWaiters.notifyAll();
        }
      }
    }
    if (failed) {
      Thread.sleep(PAUSE_AFTER_FAILED_WAIT_MS);
    }
  }

  /**
   * Stops waking {@code keys}' queue at close: the queue was deleted, and a wakeup would create its
   * list again.
   */
  void forget(RedisKeys keys) {
    waitedOn.remove(keys.wakeups());
  }

  /**
   * Pushes a wakeup to every queue this instance waits on (a leader blocked in Redis cannot be
   * interrupted), releases the other waiters, then waits up to {@code bound} for the waits to end.
   */
  void wakeAndAwaitWaiters(Duration bound) {
    for (String key : waitedOn) {
      try {
        redis.call("wake waiters", () -> redis.jedis().rpush(key, "1"));
      } catch (RuntimeException e) {
        log.debug("could not wake waiters on {}: {}", key, e.getMessage());
      }
    }
    waits.wakeAll();
    long deadline = System.nanoTime() + bound.toNanos();
    synchronized (noWaiters) {
      while (waiters.get() > 0) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          log.warn("close: {} dequeues still waiting on redis after {}", waiters.get(), bound);
          return;
        }
        try {
          noWaiters.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private record Claimed(List<Lease> leases, long nextDueMs) {}

  /** A claimed task's lease and raw data, not yet decoded. */
  private record Entry(String id, long token, String data, String attempt) {}

  /** What one claim (or a request's share of it) got: entries, or when none, the next due time. */
  private record Raw(long expiry, List<Entry> entries, long nextDueMs) {}
}
