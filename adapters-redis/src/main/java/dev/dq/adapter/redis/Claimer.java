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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>A claimed entry that cannot be decoded is moved to the dead set with the reason, and the claim
 * goes on.
 */
final class Claimer {
  private static final Logger log = LoggerFactory.getLogger(Claimer.class);
  private static final int PROMOTE_BATCH = 100;
  private static final long PAUSE_AFTER_FAILED_WAIT_MS = 50;

  private final RedisGateway redis;
  private final AtomicBoolean closed;
  private final AtomicLong poison = new AtomicLong();
  private final Nonces nonces = new Nonces();
  private final Set<String> waitedOn = ConcurrentHashMap.newKeySet();
  private final AtomicInteger waiters = new AtomicInteger();
  private final Object noWaiters = new Object();
  private final SharedWaits waits;

  Claimer(RedisGateway redis, AtomicBoolean closed) {
    this.redis = redis;
    this.closed = closed;
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

  /**
   * Claims up to {@code max} tasks in two round trips (claim, load), waiting up to {@code wait} for
   * the first.
   */
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
   * Leases up to {@code max} ready ids, then loads their data. Returns no leases only when nothing
   * was ready: if every id claimed turned out undecodable (now dead-lettered), it claims again.
   */
  private Claimed claimOnce(RedisKeys keys, Duration leaseTime, int max) {
    long leaseMs = leaseTime.toMillis();
    while (true) {
      // A fresh nonce per call: the retry after a lost reply reuses it and gets the leases the
      // first try took.
      String claimReply = keys.claimReply(nonces.next());
      List<String> claimKeys =
          List.of(
              keys.ready(),
              keys.delayed(),
              keys.active(),
              keys.leases(),
              keys.tokenSeq(),
              keys.wakeups(),
              claimReply);
      List<?> r =
          (List<?>)
              redis.scriptRetryingOnce(
                  "claim from " + keys.queue(),
                  Script.CLAIM,
                  claimKeys,
                  List.of(
                      Long.toString(leaseMs),
                      Integer.toString(PROMOTE_BATCH),
                      Integer.toString(max),
                      redis.now()));
      if ("EMPTY".equals(r.get(0))) {
        return new Claimed(List.of(), (Long) r.get(1));
      }
      long expiry = (Long) r.get(1);
      int n = (r.size() - 2) / 2;
      List<String> ids = new ArrayList<>(n);
      List<Long> tokens = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ids.add((String) r.get(2 + 2 * i));
        tokens.add((Long) r.get(3 + 2 * i));
      }
      List<Lease> leases = load(keys, claimReply, ids, tokens, expiry, leaseMs);
      if (!leases.isEmpty()) {
        return new Claimed(leases, -1);
      }
    }
  }

  private List<Lease> load(
      RedisKeys keys,
      String claimReply,
      List<String> ids,
      List<Long> tokens,
      long expiry,
      long leaseMs) {
    int n = ids.size();
    List<String> loadKeys = new ArrayList<>(5 + n);
    loadKeys.addAll(List.of(keys.active(), keys.leases(), keys.dead(), keys.deadSeq(), claimReply));
    ids.forEach(id -> loadKeys.add(keys.task(id)));
    List<String> args = new ArrayList<>(2 + 2 * n);
    args.add(Long.toString(redis.config().maxDataBytes()));
    args.addAll(ids);
    tokens.forEach(t -> args.add(Long.toString(t)));
    args.add(redis.now());
    List<?> entries =
        (List<?>)
            redis.scriptRetryingOnce(
                "load " + n + " tasks of " + keys.queue(), Script.LOAD, loadKeys, args);
    List<Lease> leases = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<?> l = (List<?>) entries.get(i);
      String id = ids.get(i);
      Object status = l.get(0);
      if ("OK".equals(status)) {
        String attempt = (String) l.get(2);
        try {
          Task task = redis.codec().decode((String) l.get(1), id, keys.queue(), attempt);
          leases.add(new Lease(task, tokens.get(i), Instant.ofEpochMilli(expiry)));
        } catch (UndecodableTaskException e) {
          bury(
              keys,
              id,
              tokens.get(i),
              attempt,
              e.getMessage(),
              Instant.ofEpochMilli(expiry - leaseMs));
        }
      } else if ("DEAD".equals(status)) {
        poison.incrementAndGet();
        log.warn(
            "queue {}: task {} moved to the dead-letter queue unread: {}",
            keys.queue(),
            id,
            l.get(1));
      }
      // LEASE_LOST: the lease expired between claim and load; the reclaimer will hand the task out
      // again.
    }
    return leases;
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
            List.of(keys.active(), keys.leases(), keys.task(id), keys.dead(), keys.deadSeq()),
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
}
