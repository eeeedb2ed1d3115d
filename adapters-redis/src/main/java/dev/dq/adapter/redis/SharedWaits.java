package dev.dq.adapter.redis;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.util.KeyValue;

/**
 * Idle dequeues of one broker instance share one blocking wait per queue. The first idle dequeue of
 * a queue becomes its <i>leader</i>: it pops wakeups from the queue's list with BLMPOP, asking for
 * as many as there are waiters, on a connection of {@link RedisGateway#block}, never one of the
 * command pool. The others wait on a condition here, and each wakeup popped releases one of them.
 * So an instance holds one blocking connection per queue it waits on, however many workers it runs,
 * and claims, acks and renewals never queue behind blocked readers.
 *
 * <p>Followers respond to interrupts at once; the leader's BLMPOP does not (Jedis ignores
 * interrupts), which is why each wait is bounded by {@link RedisBrokerConfig#blockTimeout()}. When
 * the leader leaves, one follower takes over.
 */
final class SharedWaits {
  private final RedisGateway redis;
  private final AtomicBoolean closed;
  private final Map<String, Channel> channels = new ConcurrentHashMap<>();

  SharedWaits(RedisGateway redis, AtomicBoolean closed) {
    this.redis = redis;
    this.closed = closed;
  }

  /**
   * Returns once a wakeup for {@code keys}' queue arrived (from Redis or from {@link #more}),
   * {@code blockMs} passed, or the broker closed.
   *
   * @throws dev.dq.core.port.BrokerUnavailableException the leader's blocking call failed; the wait
   *     ended early
   */
  void await(RedisKeys keys, long blockMs) throws InterruptedException {
    Channel c = channels.computeIfAbsent(keys.wakeups(), Channel::new);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(blockMs);
    c.lock.lock();
    try {
      while (!closed.get()) {
        if (c.tokens > 0) {
          c.tokens--;
          return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        if (!c.leading) {
          lead(c, keys, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
          return;
        }
        c.followers++;
        try {
          c.changed.awaitNanos(left);
        } finally {
          c.followers--;
        }
      }
    } finally {
      handOn(c);
      c.lock.unlock();
    }
  }

  /**
   * Called with the lock held; releases it while blocking in Redis. Keeps one popped wakeup for
   * itself.
   */
  private void lead(Channel c, RedisKeys keys, long blockMs) {
    c.leading = true;
    int want = c.followers + 1;
    int popped = 0;
    c.lock.unlock();
    try {
      KeyValue<String, List<String>> got =
          redis.block(
              "wait on queue " + keys.queue(),
              jedis -> jedis.blmpop(blockMs / 1000.0, ListDirection.LEFT, want, c.key));
      popped = got == null ? 0 : got.getValue().size();
    } finally {
      c.lock.lock();
      c.leading = false;
      c.tokens += Math.max(0, popped - 1);
    }
  }

  /**
   * Passes a wakeup on: to a follower when wakeups are left over, or so that one takes the lead.
   * Each follower that leaves does the same, so all wakeups popped reach a follower one after the
   * other.
   */
  private static void handOn(Channel c) {
    if (c.followers > 0 && (c.tokens > 0 || !c.leading)) {
      c.changed.signal();
    } else if (c.followers == 0 && !c.leading) {
      c.tokens = 0; // nobody waits: the next dequeue claims before it waits anyway
    }
  }

  /**
   * A claim of {@code keys}' queue came back full, so more tasks may be ready: wakes one idle
   * dequeue of this instance, which claims in turn. Enqueues push at most 64 wakeups per call, so
   * this is what lets a large batch reach every idle worker without each sitting out its block
   * timeout.
   */
  void more(RedisKeys keys) {
    Channel c = channels.get(keys.wakeups());
    if (c == null) {
      return;
    }
    c.lock.lock();
    try {
      if (c.followers > c.tokens) {
        c.tokens++;
        c.changed.signal();
      }
    } finally {
      c.lock.unlock();
    }
  }

  /** Releases every follower (at close); leaders return when their BLMPOP does. */
  void wakeAll() {
    for (Channel c : channels.values()) {
      c.lock.lock();
      try {
        c.changed.signalAll();
      } finally {
        c.lock.unlock();
      }
    }
  }

  /** The wait state of one queue's wakeup list; every field is guarded by {@code lock}. */
  private static final class Channel {
    final String key;
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();

    /** Wakeups popped from Redis (or hinted) that no follower has taken yet. */
    int tokens;

    /** Whether a leader is blocked in Redis for this queue. */
    boolean leading;

    int followers;

    Channel(String key) {
      this.key = key;
    }
  }
}
