package dev.dq.core.retry;

import dev.dq.core.task.Names;
import dev.dq.core.task.ReservedHeaders;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How many attempts a task gets in total and how long to wait between them, with optional per-type
 * overrides. Immutable and thread-safe.
 */
public final class RetryPolicy {
  /** Three attempts in total, {@link ExponentialBackoff#DEFAULT} between them. */
  public static final RetryPolicy DEFAULT = builder().build();

  private final Rule defaults;
  private final Map<String, Rule> byType;

  private record Rule(int maxAttempts, Backoff backoff) {}

  private RetryPolicy(Builder b) {
    this.defaults = new Rule(b.maxAttempts, b.backoff);
    this.byType = Map.copyOf(b.byType);
  }

  /**
   * A builder whose defaults are 3 attempts and {@link ExponentialBackoff#DEFAULT}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Attempts in total a task of {@code type} gets, the first included.
   *
   * @param type the task type
   * @return the attempts, at least 1
   */
  public int maxAttempts(String type) {
    return rule(type).maxAttempts();
  }

  /**
   * The delay before retrying {@code task} after its current attempt failed, or empty when that was
   * its last one. A task that carries its own attempts in total ({@link
   * ReservedHeaders#MAX_ATTEMPTS}) gets those instead of its type's; a malformed value is ignored
   * (see {@link ReservedHeaders#maxAttempts}).
   *
   * @param task the task whose current attempt failed
   * @param random source for the backoff's jitter
   * @return the delay, or empty
   */
  public Optional<Duration> retryDelay(Task task, RandomGenerator random) {
    Rule rule = rule(task.type());
    int maxAttempts = ReservedHeaders.maxAttempts(task).orElse(rule.maxAttempts());
    if (task.attempt() >= maxAttempts) {
      return Optional.empty();
    }
    return Optional.of(rule.backoff().delay(task.attempt(), random));
  }

  private Rule rule(String type) {
    return byType.getOrDefault(type, defaults);
  }

  /** Builds a {@link RetryPolicy}; each setter checks its value at once. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Backoff backoff = ExponentialBackoff.DEFAULT;
    private final Map<String, Rule> byType = new HashMap<>();

    private Builder() {}

    /**
     * Attempts in total, the first included; 1 means never retry.
     *
     * @param maxAttempts at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code maxAttempts} is below 1
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = checkAttempts(maxAttempts);
      return this;
    }

    /**
     * How long to wait before each retry.
     *
     * @param backoff the backoff
     * @return this builder
     */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * Overrides both values for one task type.
     *
     * @param type the task type
     * @param maxAttempts attempts in total for that type, at least 1
     * @param backoff the backoff for that type
     * @return this builder
     * @throws IllegalArgumentException if {@code maxAttempts} is below 1
     */
    public Builder forType(String type, int maxAttempts, Backoff backoff) {
      byType.put(
          Names.check("task type", type),
          new Rule(checkAttempts(maxAttempts), Objects.requireNonNull(backoff)));
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     */
    public RetryPolicy build() {
      return new RetryPolicy(this);
    }

    private static int checkAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
      }
      return maxAttempts;
    }
  }
}
