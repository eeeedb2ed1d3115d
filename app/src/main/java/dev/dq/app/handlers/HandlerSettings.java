package dev.dq.app.handlers;

/**
 * What the built-in handlers take from the command line.
 *
 * @param flakyRate failure probability of {@code flaky} when a payload names none
 */
public record HandlerSettings(double flakyRate) {
  public HandlerSettings {
    if (!(flakyRate >= 0 && flakyRate <= 1)) {
      throw new IllegalArgumentException("flakyRate must be in [0, 1]: " + flakyRate);
    }
  }
}
