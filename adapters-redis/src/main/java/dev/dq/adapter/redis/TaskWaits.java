package dev.dq.adapter.redis;

import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.task.Names;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.util.ArrayList;
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
 * ends), and completes the waits of the ids that reached a terminal state. A wait registers before
 * it reads the task once itself, so an end that happened before the call is answered from the
 * record, and one after it is seen by a later poll. The timeout is measured on the JVM's monotonic
 * clock.
 */
final class TaskWaits implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TaskWaits.class);
  static final Duration FAST_POLL = Duration.ofMillis(50);
  static final Duration SLOW_POLL = Duration.ofMillis(200);

  private final Lookups lookups;
  private final Map<String, Map<TaskId, List<CompletableFuture<TaskInfo>>>> waiting =
      new ConcurrentHashMap<>();
  private final Object wake = new Object();
  private Thread poller; // guarded by wake
  private boolean closed; // guarded by wake
  private long lastFailureLogged;

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
    CompletableFuture<TaskInfo> done = new CompletableFuture<>();
    register(queue, id, done);
    try {
      Optional<TaskInfo> now = lookups.find(queue, id);
      if (now.isPresent() && now.get().state().isTerminal()) {
        return now;
      }
      long left = budget - (System.nanoTime() - start);
      if (left <= 0) {
        return Optional.empty();
      }
      startPoller();
      return Optional.of(done.get(left, TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException stopped) {
        throw stopped; // the broker closed meanwhile
      }
      throw new IllegalStateException("await of task " + id + " failed", e.getCause());
    } finally {
      unregister(queue, id, done);
    }
  }

  private static long nanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private void register(String queue, TaskId id, CompletableFuture<TaskInfo> done) {
    waiting
        .computeIfAbsent(queue, q -> new ConcurrentHashMap<>())
        .computeIfAbsent(id, i -> new CopyOnWriteArrayList<>())
        .add(done);
  }

  private void unregister(String queue, TaskId id, CompletableFuture<TaskInfo> done) {
    Map<TaskId, List<CompletableFuture<TaskInfo>>> ids = waiting.get(queue);
    if (ids != null) {
      ids.computeIfPresent(
          id,
          (i, waits) -> {
            waits.remove(done);
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
      wake.notifyAll(); // a new wait: poll soon, not after a slow interval
    }
  }

  private void poll() {
    long interval = FAST_POLL.toNanos();
    while (true) {
      synchronized (wake) {
        if (closed) {
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(wake, interval);
        } catch (InterruptedException e) {
          return; // only close interrupts it
        }
        if (closed) {
          return;
        }
      }
      boolean ended = pollOnce();
      interval = ended ? FAST_POLL.toNanos() : Math.min(interval * 2, SLOW_POLL.toNanos());
    }
  }

  /** One round: each queue's awaited ids in one lookup. @return whether a wait was completed */
  boolean pollOnce() {
    boolean ended = false;
    for (Map.Entry<String, Map<TaskId, List<CompletableFuture<TaskInfo>>>> q : waiting.entrySet()) {
      List<TaskId> ids = new ArrayList<>(q.getValue().keySet());
      if (ids.isEmpty()) {
        continue;
      }
      Map<TaskId, TaskInfo> found;
      try {
        found = lookups.findEnded(q.getKey(), ids);
      } catch (RuntimeException e) {
        logFailure(q.getKey(), e);
        continue;
      }
      for (TaskInfo info : found.values()) {
        if (info.state().isTerminal()) {
          List<CompletableFuture<TaskInfo>> waits = q.getValue().get(info.id());
          if (waits != null) {
            waits.forEach(w -> w.complete(info));
            ended = true;
          }
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
            ids -> ids.values().forEach(ws -> ws.forEach(w -> w.completeExceptionally(closedNow))));
  }
}
