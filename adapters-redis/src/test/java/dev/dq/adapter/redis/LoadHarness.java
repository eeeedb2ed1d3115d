package dev.dq.adapter.redis;

import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.DuplicateTaskException;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import dev.dq.core.port.OutcomeUnknownException;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Producers and workers on real threads against one broker, tolerant of Redis going away: every
 * call that fails with {@link BrokerUnavailableException} (or, for an enqueue, {@link
 * OutcomeUnknownException}) is retried. Records what was acknowledged to producers and what workers
 * completed, so a test can count lost and duplicated tasks.
 */
final class LoadHarness implements AutoCloseable {
  static final Duration LEASE = Duration.ofSeconds(2);

  private final Broker broker;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Thread> threads = new ArrayList<>();
  final Set<String> accepted = ConcurrentHashMap.newKeySet();

  /** Ids whose handler ran at least once (the ack may have failed afterwards). */
  final Set<String> completed = ConcurrentHashMap.newKeySet();

  /** Ids whose ack failed because Redis was unreachable; Redis may or may not have applied it. */
  final Set<String> ackUncertain = ConcurrentHashMap.newKeySet();

  final AtomicLong deliveries = new AtomicLong();

  /** Unexpected exceptions that ended a thread; a test fails on any. */
  final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());

  final AtomicLong unavailable = new AtomicLong();
  final AtomicLong lastCompletionNanos = new AtomicLong();
  final AtomicLong lastAcceptNanos = new AtomicLong();

  LoadHarness(Broker broker) {
    this.broker = broker;
  }

  /**
   * Starts a producer enqueueing {@code count} tasks with ids {@code prefix0..}, pausing {@code
   * pauseMs} between.
   */
  LoadHarness producer(String prefix, int count, long pauseMs) {
    return start(
        "producer-" + prefix,
        () -> {
          for (int i = 0; i < count && running.get(); i++) {
            Task task =
                Task.builder("work").id(prefix + i).payload("p").createdAt(Instant.EPOCH).build();
            while (running.get()) {
              try {
                broker.enqueue(task, Duration.ofSeconds(1));
                markAccepted(task);
                break;
              } catch (DuplicateTaskException e) {
                markAccepted(task); // an earlier try landed although its reply was lost
                break;
              } catch (BrokerUnavailableException | OutcomeUnknownException e) {
                // Unknown outcome: a new call with the same id settles it (DUPLICATE if the lost
                // try landed).
                unavailable.incrementAndGet();
                pause(50);
              } catch (InterruptedException e) {
                return;
              }
            }
            pause(pauseMs);
          }
        });
  }

  /** Starts {@code n} workers: dequeue, hold for {@code workMs}, ack. */
  LoadHarness workers(int n, long workMs) {
    for (int w = 0; w < n; w++) {
      start(
          "worker-" + w,
          () -> {
            while (running.get()) {
              try {
                Optional<Lease> lease = broker.dequeue("default", LEASE, Duration.ofMillis(500));
                if (lease.isEmpty()) {
                  continue;
                }
                String id = lease.get().task().id().value();
                pause(workMs); // the handler
                deliveries.incrementAndGet();
                completed.add(id);
                lastCompletionNanos.set(System.nanoTime());
                try {
                  broker.ack(lease.get());
                } catch (BrokerUnavailableException e) {
                  ackUncertain.add(id); // done or delivered again: either way not lost
                  throw e;
                }
              } catch (BrokerUnavailableException e) {
                unavailable.incrementAndGet();
                pause(50);
              } catch (LeaseLostException e) {
                // redelivered elsewhere; the other delivery counts
              } catch (BrokerClosedException e) {
                return;
              } catch (InterruptedException e) {
                return;
              }
            }
          });
    }
    return this;
  }

  /** Starts a reaper calling {@link Broker#reclaimExpiredLeases()} every 200 ms. */
  LoadHarness reaper() {
    return start(
        "reaper",
        () -> {
          while (running.get()) {
            try {
              broker.reclaimExpiredLeases();
            } catch (BrokerUnavailableException e) {
              unavailable.incrementAndGet();
            }
            pause(200);
          }
        });
  }

  boolean allAcceptedCompleted(int expected) {
    return accepted.size() == expected && completed.containsAll(accepted);
  }

  /**
   * Waits until every one of {@code expected} tasks was accepted and completed, or fails describing
   * the state.
   */
  void awaitAllCompleted(int expected, Duration timeout) {
    try {
      org.awaitility.Awaitility.await().atMost(timeout).until(() -> allAcceptedCompleted(expected));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      Set<String> missing = new HashSet<>(accepted);
      missing.removeAll(completed);
      throw new AssertionError(
          "after "
              + timeout
              + ": accepted="
              + accepted.size()
              + "/"
              + expected
              + " completed="
              + completed.size()
              + " ackUncertain="
              + ackUncertain.size()
              + " failures="
              + failures
              + " missing(sample)="
              + missing.stream().limit(10).toList()
              + " stats="
              + broker.stats("default"),
          e);
    }
  }

  long lost() {
    Set<String> missing = new HashSet<>(accepted);
    missing.removeAll(completed);
    return missing.size();
  }

  long duplicated() {
    return deliveries.get() - completed.size();
  }

  /**
   * Whether every worker thread is inside the claimer's wait for a wakeup (idle, waiting on Redis).
   */
  boolean workersAwaitingWakeup() {
    List<Thread> workers =
        threads.stream().filter(t -> t.getName().startsWith("load-worker-")).toList();
    return !workers.isEmpty() && workers.stream().allMatch(TestRedis::isAwaitingWakeup);
  }

  /**
   * Stops every thread; returns the names of those that did not end within {@code bound} (hung).
   */
  List<String> stop(Duration bound) throws InterruptedException {
    running.set(false);
    long deadline = System.nanoTime() + bound.toNanos();
    List<String> hung = new ArrayList<>();
    for (Thread t : threads) {
      t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
      if (t.isAlive()) {
        hung.add(t.getName());
      }
    }
    return hung;
  }

  @Override
  public void close() {
    try {
      stop(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void markAccepted(Task task) {
    accepted.add(task.id().value());
    lastAcceptNanos.set(System.nanoTime());
  }

  private LoadHarness start(String name, Runnable body) {
    Thread t = new Thread(body, "load-" + name);
    t.setDaemon(true);
    t.setUncaughtExceptionHandler(
        (thread, e) -> {
          failures.add(thread.getName() + ": " + e);
          e.printStackTrace();
        });
    threads.add(t);
    t.start();
    return this;
  }

  private static void pause(long ms) {
    if (ms <= 0) {
      return;
    }
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
