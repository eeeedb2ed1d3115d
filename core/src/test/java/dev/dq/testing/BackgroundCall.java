package dev.dq.testing;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blocking call run on its own daemon thread, so a test can watch it block, then interrupt it or
 * unblock it and collect the outcome. Unlike a pooled {@code Future}, it exposes the thread, and an
 * interrupt reaches the call itself, whose {@code InterruptedException} is then the outcome.
 */
public final class BackgroundCall<T> {
  /** A call that returns a value. */
  @FunctionalInterface
  public interface Call<T> {
    T call() throws Exception;
  }

  /** A call that returns nothing. */
  @FunctionalInterface
  public interface Action {
    void run() throws Exception;
  }

  private final CompletableFuture<T> outcome = new CompletableFuture<>();
  private final Thread thread;

  private BackgroundCall(String name, Call<T> call) {
    this.thread =
        new Thread(
            () -> {
              try {
                outcome.complete(call.call());
              } catch (Throwable t) {
                outcome.completeExceptionally(t);
              }
            },
            name);
    thread.setDaemon(
        true); // a test that fails while the call still blocks must not keep the JVM alive
  }

  public static <T> BackgroundCall<T> call(String name, Call<T> call) {
    BackgroundCall<T> c = new BackgroundCall<>(name, call);
    c.thread.start();
    return c;
  }

  public static BackgroundCall<Void> run(String name, Action action) {
    return call(
        name,
        () -> {
          action.run();
          return null;
        });
  }

  public Thread thread() {
    return thread;
  }

  public boolean isDone() {
    return outcome.isDone();
  }

  /**
   * Whether the thread is parked (waiting on a lock, condition or sleep), as a blocked call
   * normally is.
   */
  public boolean isParked() {
    Thread.State state = thread.getState();
    return state == Thread.State.WAITING
        || state == Thread.State.TIMED_WAITING
        || state == Thread.State.BLOCKED;
  }

  public void interrupt() {
    thread.interrupt();
  }

  /**
   * The call's result, waiting up to {@code patience}; fails the test if it threw or did not
   * finish.
   */
  public T result(Duration patience) {
    try {
      return outcome.get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError(thread.getName() + " threw instead of returning", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError(thread.getName() + " did not finish within " + patience);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + thread.getName(), e);
    }
  }

  /**
   * What the call threw, waiting up to {@code patience}; fails the test if it returned or did not
   * finish.
   */
  public Throwable failure(Duration patience) {
    try {
      T value = outcome.get(patience.toMillis(), TimeUnit.MILLISECONDS);
      return fail(thread.getName() + " returned " + value + " instead of throwing");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError(thread.getName() + " did not finish within " + patience);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + thread.getName(), e);
    }
  }
}
