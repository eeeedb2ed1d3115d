package dev.dq.app.handlers;

import dev.dq.app.config.Durations;
import dev.dq.core.task.Task;
import dev.dq.core.worker.NamedTaskHandler;
import dev.dq.core.worker.NonRetryableException;
import java.time.Duration;

/**
 * Built-in {@code sleep}: waits for the duration in the payload ({@code 250ms}, {@code 2s}; empty:
 * 100 ms).
 */
public final class SleepHandler implements NamedTaskHandler {
  static final Duration DEFAULT = Duration.ofMillis(100);

  @Override
  public String type() {
    return "sleep";
  }

  @Override
  public void handle(Task task) throws InterruptedException {
    String text = task.payload().asUtf8().strip();
    Duration duration;
    try {
      duration = text.isEmpty() ? DEFAULT : Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new NonRetryableException("sleep: payload must be a duration such as 250ms or 2s");
    }
    Thread.sleep(Math.max(0, duration.toMillis()));
  }
}
