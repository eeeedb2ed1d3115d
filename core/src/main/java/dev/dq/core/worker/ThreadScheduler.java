package dev.dq.core.worker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default {@link Scheduler}: one-shot tasks (task timeouts) on a timer of their own, and each
 * periodic job on a thread of its own, because the heartbeat and the reaper call the broker, which
 * may be slow, and must never hold up a timeout. Daemon threads named {@code prefix-timer-N},
 * {@code prefix-<job>-1}.
 */
final class ThreadScheduler implements Scheduler {
  private final String prefix;
  private final ScheduledThreadPoolExecutor timer;
  private final List<ScheduledExecutorService> jobs = new CopyOnWriteArrayList<>();

  ThreadScheduler(String prefix) {
    this.prefix = prefix;
    this.timer = new ScheduledThreadPoolExecutor(2, daemonThreads(prefix + "-timer"));
    // A cancelled timeout (the usual case: the handler finished) must not sit in the queue until it
    // would have fired.
    timer.setRemoveOnCancelPolicy(true);
  }

  @Override
  public Handle schedule(Runnable task, Duration delay) {
    var future = timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public Handle scheduleWithFixedDelay(
      String name, Runnable job, Duration initialDelay, Duration delay) {
    ScheduledExecutorService thread =
        Executors.newSingleThreadScheduledExecutor(daemonThreads(prefix + "-" + name));
    jobs.add(thread);
    if (timer.isShutdown()) {
      thread.shutdownNow(); // shut down meanwhile: the line below then rejects the job
    }
    var future =
        thread.scheduleWithFixedDelay(
            job, initialDelay.toNanos(), delay.toNanos(), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  /** Stops every thread; nothing scheduled runs any more, and later calls are rejected. */
  void shutdownNow() {
    timer.shutdownNow();
    jobs.forEach(ScheduledExecutorService::shutdownNow);
  }

  static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
