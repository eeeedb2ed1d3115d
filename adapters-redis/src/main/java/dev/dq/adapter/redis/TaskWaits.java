package dev.dq.adapter.redis;

import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.task.Names;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link dev.dq.core.lifecycle.TaskLookup#await} for {@link RedisBroker}: one poller thread per
 * broker looks up every awaited id of a queue in one {@code lookup.lua} call (records and dead set
 * only, never the tasks' data) every {@link #FAST_POLL} (up to {@link #SLOW_POLL} while nothing
 * ends), and completes the waits of the ids that reached a terminal state.
 *
 * <p>A wait registers and then only waits on its future: the poller looks a new id up within {@link
 * #FAST_POLL} (at once if it last polled longer ago than that), so an end that happened before the
 * call is answered from the record, and one after it by a later poll. No broker call runs on the
 * caller's thread (but for a zero timeout, which looks once), so a stalled Redis cannot hold a
 * caller past its timeout. A wait whose first look-up fails fails with that error, as a direct
 * look-up would. The timeout is measured on the JVM's monotonic clock.
 */
final class TaskWaits implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskWaits.class);
  static final Duration FAST_POLL = Duration.ofMillis(50);
  static final Duration SLOW_POLL = Duration.ofMillis(200);

  private final Lookups lookups;
  private final Map<String, Map<TaskId, List<Wait>>> waiting = new ConcurrentHashMap<>();
  private final Object wake = new Object();
  private Thread poller; // guarded by wake
  private boolean closed; // guarded by wake
  private boolean fresh; // guarded by wake: a wait not looked up yet
  private long lastPoll = System.nanoTime() - FAST_POLL.toNanos(); // guarded by wake
  private long wakeups; // guarded by wake
  private long lastFailureLogged;

  /** One caller's wait; {@code looked} once a poll has looked its id up. */
  private static final class Wait {
    final CompletableFuture<TaskInfo> done = new CompletableFuture<>();
    volatile boolean looked;
  }

  TaskWaits(Lookups lookups) {
    this.lookups = lookups;
  }

  Optional<TaskInfo> await(String queue, TaskId id, Duration timeout) throws InterruptedException {
    Names.check("queue", queue);
    Objects.requireNonNull(id, "id");
    Arguments.requireNonNegative("timeout", timeout);
    long budget = nanos(timeout);
    long start = System.nanoTime();
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before awaiting task " + id);
    }
    if (budget == 0) {
      return lookups.find(queue, id).filter(info -> info.state().isTerminal()); // looks once
    }
    Wait wait = new Wait();
    register(queue, id, wait);
    try {
      startPoller();
      long left = budget - (System.nanoTime() - start);
      if (left <= 0) {
        return Optional.empty();
      }
      return Optional.of(wait.done.get(left, TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failed) {
        throw failed; // the broker closed meanwhile, or the first look-up failed
      }
      throw new IllegalStateException("await of task " + id + " failed", e.getCause());
    } finally {
      unregister(queue, id, wait);
    }
  }

  private static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private void register(String queue, TaskId id, Wait wait) {
    waiting
        .computeIfAbsent(queue, q -> new ConcurrentHashMap<>())
        .computeIfAbsent(id, i -> new CopyOnWriteArrayList<>())
        .add(wait);
  }

  private void unregister(String queue, TaskId id, Wait wait) {
    Map<TaskId, List<Wait>> ids = waiting.get(queue);
    if (ids != null) {
      ids.computeIfPresent(
          id,
          (i, waits) -> {
            waits.remove(wait);
            return waits.isEmpty() ? null : waits;
          });
    }
  }

  private void startPoller() {
    synchronized (wake) {
      if (closed) {
        throw new BrokerClosedException("redis broker is closed");
      }
      if (poller == null) {
        poller = new Thread(this::poll, "dq-await-poller");
        poller.setDaemon(true);
        poller.start();
      }
      fresh = true;
      // a burst of new waits shares the next poll, which is at most FAST_POLL away
      if (System.nanoTime() - lastPoll >= FAST_POLL.toNanos()) {
        wakeups++;
        wake.notifyAll();
      }
    }
  }

  /** How often a new wait woke the poller, for tests. */
  long wakeups() {
    synchronized (wake) {
      return wakeups;
    }
  }

  private void poll() {
    long interval = FAST_POLL.toNanos();
    while (true) {
      synchronized (wake) {
        try {
          while (!closed) {
            long due = lastPoll + (fresh ? FAST_POLL.toNanos() : interval) - System.nanoTime();
            if (due <= 0) {
              break;
            }
            // slices of at most FAST_POLL, so a new wait is looked up soon without a wakeup
            TimeUnit.NANOSECONDS.timedWait(wake, Math.min(due, FAST_POLL.toNanos()));
          }
        } catch (InterruptedException e) {
          return; // only close interrupts it
        }
        if (closed) {
          return;
        }
        fresh = false;
        lastPoll = System.nanoTime();
      }
      boolean ended = pollOnce();
      interval = ended ? FAST_POLL.toNanos() : Math.min(interval * 2, SLOW_POLL.toNanos());
    }
  }

  /** One round: each queue's awaited ids in one lookup. @return whether a wait was completed */
  boolean pollOnce() {
    boolean ended = false;
    for (Map.Entry<String, Map<TaskId, List<Wait>>> q : waiting.entrySet()) {
      Map<TaskId, List<Wait>> polled = new HashMap<>();
      q.getValue().forEach((id, waits) -> polled.put(id, List.copyOf(waits)));
      if (polled.isEmpty()) {
        continue;
      }
      Map<TaskId, TaskInfo> found;
      try {
        found = lookups.findEnded(q.getKey(), polled.keySet());
      } catch (RuntimeException e) {
        logFailure(q.getKey(), e);
        // a wait not looked up yet fails as a direct look-up would; the others keep waiting
        polled.values().stream()
            .flatMap(List::stream)
            .filter(w -> !w.looked)
            .forEach(w -> w.done.completeExceptionally(e));
        continue;
      }
      for (Map.Entry<TaskId, List<Wait>> p : polled.entrySet()) {
        TaskInfo info = found.get(p.getKey());
        if (info != null && info.state().isTerminal()) {
          p.getValue().forEach(w -> w.done.complete(info));
          ended = true;
        } else {
          p.getValue().forEach(w -> w.looked = true);
        }
      }
    }
    return ended;
  }

  private void logFailure(String queue, RuntimeException e) {
    long now = System.nanoTime();
    if (now - lastFailureLogged > TimeUnit.SECONDS.toNanos(10)) {
      lastFailureLogged = now;
      log.warn("await: looking up the awaited tasks of queue {} failed: {}", queue, e.toString());
    }
  }

  @Override
  public void close() {
    Thread t;
    synchronized (wake) {
      closed = true;
      t = poller;
      wake.notifyAll();
    }
    if (t != null) {
      t.interrupt();
    }
    BrokerClosedException closedNow =
        new BrokerClosedException("redis broker closed while awaiting");
    waiting
        .values()
        .forEach(
            ids ->
                ids.values()
                    .forEach(ws -> ws.forEach(w -> w.done.completeExceptionally(closedNow))));
  }
}
