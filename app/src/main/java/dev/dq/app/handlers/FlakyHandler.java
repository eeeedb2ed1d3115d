package dev.dq.app.handlers;

import dev.dq.core.task.Task;
import dev.dq.core.worker.NamedTaskHandler;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Built-in {@code flaky}: fails (retryably) with a probability taken from the payload ({@code
 * 0.3}), or from {@code --flaky-rate} when the payload is empty.
 */
public final class FlakyHandler implements NamedTaskHandler, Configurable {
  public static final double DEFAULT_RATE = 0.5;

  private final double defaultRate;

  /**
   * For {@link java.util.ServiceLoader}: fails half of the attempts unless the payload says
   * otherwise.
   */
  public FlakyHandler() {
    this(DEFAULT_RATE);
  }

  FlakyHandler(double defaultRate) {
    this.defaultRate = defaultRate;
  }

  /** The same handler with {@code --flaky-rate} as its default rate. */
  @Override
  public NamedTaskHandler configure(HandlerSettings settings) {
    return new FlakyHandler(settings.flakyRate());
  }

  @Override
  public String type() {
    return "flaky";
  }

  @Override
  public void handle(Task task) {
    if (ThreadLocalRandom.current().nextDouble() < rate(task.payload().asUtf8().strip())) {
      throw new FlakyFailure("flaky failure on attempt " + task.attempt());
    }
  }

  double rate(String payload) {
    if (payload.isEmpty()) {
      return defaultRate;
    }
    try {
      double p = Double.parseDouble(payload);
      return p >= 0 && p <= 1 ? p : defaultRate;
    } catch (NumberFormatException e) {
      return defaultRate;
    }
  }

  /** What a flaky attempt throws; retried like any other exception. */
  static final class FlakyFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FlakyFailure(String message) {
      super(message, null, false, false);
    }
  }
}
