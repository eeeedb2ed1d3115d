package dev.dq.core.limit;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A global limit on a type or queue: a start {@link Rate}, a concurrency (most tasks running at
 * once), or both.
 *
 * @param target the type or queue it applies to
 * @param rate the most starts per interval, if limited
 * @param concurrency the most running at once (at least 1), if limited
 */
public record Limit(LimitTarget target, Optional<Rate> rate, OptionalInt concurrency) {

  /**
   * Checks that at least one of rate and concurrency is set, and the concurrency's range.
   *
   * @param target the type or queue
   * @param rate the rate, or empty
   * @param concurrency the concurrency, or empty
   * @throws IllegalArgumentException neither is set, or {@code concurrency < 1}
   */
  public Limit {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(rate, "rate");
    Objects.requireNonNull(concurrency, "concurrency");
    if (rate.isEmpty() && concurrency.isEmpty()) {
      throw new IllegalArgumentException(
          "limit on " + target + " sets neither rate nor concurrency");
    }
    if (concurrency.isPresent() && concurrency.getAsInt() < 1) {
      throw new IllegalArgumentException("concurrency must be >= 1: " + concurrency.getAsInt());
    }
  }

  /**
   * A rate limit only.
   *
   * @param target the type or queue
   * @param rate the rate
   * @return the limit
   */
  public static Limit ofRate(LimitTarget target, Rate rate) {
    return new Limit(target, Optional.of(rate), OptionalInt.empty());
  }

  /**
   * A concurrency limit only.
   *
   * @param target the type or queue
   * @param concurrency the most running at once
   * @return the limit
   * @throws IllegalArgumentException {@code concurrency < 1}
   */
  public static Limit ofConcurrency(LimitTarget target, int concurrency) {
    return new Limit(target, Optional.empty(), OptionalInt.of(concurrency));
  }
}
