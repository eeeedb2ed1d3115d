package dev.dq.adapter.redis;

import java.time.Duration;

/** The argument checks the broker's parts share, with the messages the port's callers see. */
final class Arguments {
  private Arguments() {}

  static void requireNonNegative(String what, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be >= 0: " + d);
    }
  }

  static void requireLeaseTime(Duration leaseTime) {
    if (leaseTime == null || leaseTime.toMillis() < 1) {
      throw new IllegalArgumentException("leaseTime must be >= 1ms: " + leaseTime);
    }
  }
}
