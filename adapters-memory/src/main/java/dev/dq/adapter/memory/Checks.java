package dev.dq.adapter.memory;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks shared by the broker and its dead-letter queue; each names the argument and the
 * bad value.
 */
final class Checks {
  private Checks() {}

  static Duration nonNegative(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must be >= 0: " + d);
    }
    return d;
  }

  static Duration positive(String what, Duration d) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be > 0: " + d);
    }
    return d;
  }

  static int nonNegative(String what, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must be >= 0: " + value);
    }
    return value;
  }
}
