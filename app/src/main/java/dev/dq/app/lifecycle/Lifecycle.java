package dev.dq.app.lifecycle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts services in order and stops them in reverse order, once, whether the command finishes or
 * the JVM is asked to exit (Ctrl+C, SIGTERM).
 *
 * <p>On a signal the shutdown hook only asks the command to stop ({@link #awaitStopRequest}) and
 * waits, bounded, for it to {@link #close}: the command thread stops the services and prints its
 * summary itself. If it has not finished in time, the hook stops the services so the JVM still
 * exits within a bounded time.
 */
public final class Lifecycle implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

  /** Something to start and stop; {@code stop} must be bounded and is called at most once. */
  public record Service(String name, Runnable start, Runnable stop) {}

  private final List<Service> services;
  private final Duration hookWait;
  private final Deque<Service> started = new ArrayDeque<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread hook = new Thread(this::onSignal, "dq-shutdown");
  private volatile int exitStatus = -1;

  /**
   * @param hookWait how long the shutdown hook waits for the command to finish before stopping
   *     services itself
   */
  public Lifecycle(List<Service> services, Duration hookWait) {
    this.services = List.copyOf(services);
    this.hookWait = hookWait;
  }

  /**
   * Registers the shutdown hook and starts every service; if one fails, the started ones are
   * stopped.
   */
  public synchronized void start() {
    Runtime.getRuntime().addShutdownHook(hook);
    for (Service s : services) {
      try {
        s.start().run();
      } catch (RuntimeException e) {
        stopAll();
        throw e;
      }
      started.push(s);
      log.debug("started {}", s.name());
    }
  }

  /**
   * For commands that a signal ends ({@code dq run}, {@code stats --watch}): starts the services,
   * runs {@code tick} now and every {@code every} until SIGTERM or SIGINT, then stops the services
   * and lets the JVM exit with 0 (see {@link #close(int)}). A service that fails to start
   * propagates, after the started ones were stopped.
   */
  public void runUntilStopped(Duration every, Runnable tick) {
    try {
      start();
      do {
        tick.run();
      } while (!awaitStopRequest(every));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopAll();
      close(0);
    }
  }

  /** Waits up to {@code timeout} for a stop request; true if one came. */
  public boolean awaitStopRequest(Duration timeout) throws InterruptedException {
    return stopRequested.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  public boolean stopRequested() {
    return stopRequested.getCount() == 0;
  }

  /**
   * Stops the started services in reverse order. Idempotent; a failing stop is logged and the rest
   * still run.
   */
  public void stopAll() {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    synchronized (this) {
      while (!started.isEmpty()) {
        Service s = started.pop();
        try {
          s.stop().run();
          log.debug("stopped {}", s.name());
        } catch (RuntimeException e) {
          log.warn("stopping {} failed", s.name(), e);
        }
      }
    }
  }

  /**
   * Stops what is still running and removes the shutdown hook; a hook waiting for the command may
   * now let go.
   */
  @Override
  public void close() {
    stopAll();
    closed.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down, and this hook is the one waiting for us
    }
  }

  /**
   * Like {@link #close()}, for a command for which a signal is the normal end ({@code dq run},
   * {@code stats --watch}): if a signal started the JVM's shutdown, the hook ends the JVM with
   * {@code exitStatus} once the command has finished, instead of the 128 + signal number the JVM
   * would report.
   */
  public void close(int exitStatus) {
    this.exitStatus = exitStatus;
    close();
  }

  private void onSignal() {
    log.info("stop requested, finishing within {}", hookWait);
    stopRequested.countDown();
    try {
      if (!closed.await(hookWait.toNanos(), TimeUnit.NANOSECONDS)) {
        log.warn("command did not finish within {}, stopping services", hookWait);
        stopAll();
      } else if (exitStatus >= 0) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(exitStatus);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopAll();
    }
  }
}
