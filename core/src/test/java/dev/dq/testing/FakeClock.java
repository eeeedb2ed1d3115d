package dev.dq.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when a test says so. Thread-safe: a test thread may advance it while
 * broker threads read it.
 */
public final class FakeClock implements InstantSource {
  private final AtomicReference<Instant> now;

  private FakeClock(Instant start) {
    this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
  }

  /**
   * A clock standing at {@code instant}, an ISO-8601 UTC timestamp such as {@code
   * 2024-01-01T00:00:00Z}.
   */
  public static FakeClock at(String instant) {
    return new FakeClock(Instant.parse(instant));
  }

  public static FakeClock at(Instant instant) {
    return new FakeClock(instant);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  /**
   * Moves the clock forward; a negative amount is a test bug, since brokers assume time never runs
   * back.
   */
  public FakeClock advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount must be >= 0: " + amount);
    }
    now.updateAndGet(t -> t.plus(amount));
    return this;
  }

  /** Jumps to {@code instant}, backwards included (for tests of clock skew). */
  public FakeClock set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
    return this;
  }

  @Override
  public String toString() {
    return "FakeClock[" + now.get() + "]";
  }
}
