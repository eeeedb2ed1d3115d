package dev.dq.testing;

import dev.dq.core.worker.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} driven by hand together with a {@link FakeClock}: nothing runs until the test
 * calls {@link #advance} or {@link #runDue}, and then every task runs on the test's own thread, in
 * the order of its due time (ties in the order scheduled). {@link #advance} moves the clock to each
 * due time on the way and runs what is due then, so a job every 100 ms runs ten times in an advance
 * of one second, each time seeing the clock at its due time.
 *
 * <p>Thread-safe to schedule and cancel from any thread (a pool's workers schedule timeouts while
 * the test advances); only one thread should advance it. A task that throws fails the test's {@code
 * advance} call.
 */
public final class ManualScheduler implements Scheduler {
  private final FakeClock clock;
  private final PriorityQueue<Entry> queue =
      new PriorityQueue<>(Comparator.comparing((Entry e) -> e.due).thenComparingLong(e -> e.seq));
  private long seq;

  public ManualScheduler(FakeClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private final class Entry implements Handle {
    final String name;
    final Runnable task;
    final Duration period; // null for a one-shot task
    final long seq;
    Instant due;
    volatile boolean cancelled;

    Entry(String name, Runnable task, Instant due, Duration period, long seq) {
      this.name = name;
      this.task = task;
      this.due = due;
      this.period = period;
      this.seq = seq;
    }

    @Override
    public void cancel() {
      cancelled = true;
      synchronized (ManualScheduler.this) {
        queue.remove(this);
      }
    }
  }

  @Override
  public synchronized Handle schedule(Runnable task, Duration delay) {
    return add("task", task, delay, null);
  }

  @Override
  public synchronized Handle scheduleWithFixedDelay(
      String name, Runnable job, Duration initialDelay, Duration delay) {
    if (delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException("delay must be > 0: " + delay);
    }
    return add(name, job, initialDelay, delay);
  }

  private Entry add(String name, Runnable task, Duration delay, Duration period) {
    Entry e =
        new Entry(
            name, Objects.requireNonNull(task, "task"), clock.instant().plus(delay), period, seq++);
    queue.add(e);
    return e;
  }

  /**
   * Moves the clock forward by {@code amount}, stopping at each due time on the way to run what is
   * due then (tasks scheduled by those runs included, if due before the end).
   *
   * @return how many runs happened
   */
  public int advance(Duration amount) {
    Instant end = clock.instant().plus(amount);
    int runs = 0;
    for (Entry next; (next = pollDueBy(end)) != null; runs++) {
      if (next.due.isAfter(clock.instant())) {
        clock.set(next.due);
      }
      run(next);
    }
    if (end.isAfter(clock.instant())) {
      clock.set(end);
    }
    return runs;
  }

  /**
   * Runs what is due at the clock's current time, without moving it. @return how many runs happened
   */
  public int runDue() {
    return advance(Duration.ZERO);
  }

  /**
   * Names of the tasks and jobs scheduled and not cancelled, in due order (one-shot tasks are named
   * "task").
   */
  public synchronized List<String> scheduled() {
    List<Entry> entries = new ArrayList<>(queue);
    entries.sort(queue.comparator());
    return entries.stream().map(e -> e.name).toList();
  }

  private synchronized Entry pollDueBy(Instant end) {
    Entry head = queue.peek();
    return head == null || head.due.isAfter(end) ? null : queue.poll();
  }

  private void run(Entry e) {
    if (e.cancelled) {
      return;
    }
    e.task.run();
    if (e.period != null) {
      synchronized (this) {
        if (!e.cancelled) {
          e.due = clock.instant().plus(e.period);
          queue.add(e);
        }
      }
    }
  }
}
