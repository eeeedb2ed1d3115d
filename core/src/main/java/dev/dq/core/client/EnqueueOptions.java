package dev.dq.core.client;

import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Names;
import dev.dq.core.task.ReservedHeaders;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link DqClient#enqueue} enqueues one task. Immutable; build with {@link #builder()}, whose
 * setters reject a bad value at once with {@link InvalidOptionsException}; {@link #DEFAULT} is the
 * queue {@value Task#DEFAULT_QUEUE}, at once, priority {@value Task#DEFAULT_PRIORITY}, no unique
 * key, the worker pool's attempts and timeout, no headers, a generated id.
 *
 * @param queue the queue
 * @param delay how long after its arrival, on the broker's clock, the task becomes ready
 * @param runAt when the task becomes ready (an absolute time; never together with {@code delay})
 * @param priority its level, {@value Task#MIN_PRIORITY}..{@value Task#MAX_PRIORITY}, higher first
 * @param uniqueKey enqueue only if no task holds this key in the queue (see {@link
 *     dev.dq.core.lifecycle.UniqueTasks})
 * @param maxAttempts attempts in total for this task, overriding the worker pool's (carried in the
 *     header {@value ReservedHeaders#MAX_ATTEMPTS})
 * @param timeout time limit of one attempt, overriding the worker pool's, in whole milliseconds
 *     (carried in the header {@value ReservedHeaders#TIMEOUT_MS})
 * @param headers the task's own headers
 * @param id the task's id; empty: the client generates one
 */
public record EnqueueOptions(
    String queue,
    Optional<Duration> delay,
    Optional<Instant> runAt,
    int priority,
    Optional<UniqueKey> uniqueKey,
    Optional<Integer> maxAttempts,
    Optional<Duration> timeout,
    Map<String, String> headers,
    Optional<TaskId> id) {

  /** Queue {@value Task#DEFAULT_QUEUE}, at once, default priority, nothing else. */
  public static final EnqueueOptions DEFAULT = builder().build();

  /**
   * Checks every value, as the builder does, and copies the headers.
   *
   * @param queue the queue
   * @param delay how long after its arrival the task becomes ready
   * @param runAt when the task becomes ready; never together with {@code delay}
   * @param priority its level, higher first
   * @param uniqueKey enqueue only if no task holds this key in the queue
   * @param maxAttempts attempts in total for this task, at least 1
   * @param timeout time limit of one attempt, at least 1 ms
   * @param headers the task's own headers
   * @param id the task's id; empty: the client generates one
   * @throws InvalidOptionsException a value is invalid, or both {@code delay} and {@code runAt} are
   *     given (the message names the value)
   */
  public EnqueueOptions {
    queue = checkQueue(queue);
    Objects.requireNonNull(delay, "delay");
    Objects.requireNonNull(runAt, "runAt");
    if (delay.isPresent() && runAt.isPresent()) {
      throw new InvalidOptionsException(
          "give a delay or a run-at time, not both: delay "
              + delay.get()
              + ", run at "
              + runAt.get());
    }
    delay.ifPresent(EnqueueOptions::checkDelay);
    checkPriority(priority);
    Objects.requireNonNull(uniqueKey, "uniqueKey");
    Objects.requireNonNull(maxAttempts, "maxAttempts");
    maxAttempts.ifPresent(EnqueueOptions::checkMaxAttempts);
    Objects.requireNonNull(timeout, "timeout");
    timeout.ifPresent(EnqueueOptions::checkTimeout);
    headers = checkHeaders(headers);
    Objects.requireNonNull(id, "id");
  }

  /**
   * A builder whose values are those of {@link #DEFAULT}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Options for the queue {@code queue}, all others default.
   *
   * @param queue the queue
   * @return the options
   * @throws InvalidOptionsException {@code queue} is not a valid queue name
   */
  public static EnqueueOptions queue(String queue) {
    return builder().queue(queue).build();
  }

  /**
   * The task's headers: its own, then the reserved ones of {@link #maxAttempts} and {@link
   * #timeout}, which replace a reserved header given among its own.
   *
   * @return the headers to put on the task
   */
  public Map<String, String> taskHeaders() {
    if (maxAttempts.isEmpty() && timeout.isEmpty()) {
      return headers;
    }
    Map<String, String> all = new LinkedHashMap<>(headers);
    maxAttempts.ifPresent(n -> all.put(ReservedHeaders.MAX_ATTEMPTS, Integer.toString(n)));
    timeout.ifPresent(t -> all.put(ReservedHeaders.TIMEOUT_MS, Long.toString(t.toMillis())));
    return Collections.unmodifiableMap(all);
  }

  private static String checkQueue(String queue) {
    try {
      return Names.check("queue", queue);
    } catch (InvalidTaskException e) {
      throw new InvalidOptionsException(e.getMessage());
    }
  }

  private static void checkDelay(Duration delay) {
    if (delay.isNegative()) {
      throw new InvalidOptionsException("delay must not be negative: " + delay);
    }
  }

  private static void checkPriority(int priority) {
    if (priority < Task.MIN_PRIORITY || priority > Task.MAX_PRIORITY) {
      throw new InvalidOptionsException(
          "priority must be " + Task.MIN_PRIORITY + ".." + Task.MAX_PRIORITY + ": " + priority);
    }
  }

  private static void checkMaxAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new InvalidOptionsException("maxAttempts must be >= 1: " + maxAttempts);
    }
  }

  private static void checkTimeout(Duration timeout) {
    if (timeout.toMillis() < 1) {
      throw new InvalidOptionsException("timeout must be at least 1 ms: " + timeout);
    }
  }

  private static Map<String, String> checkHeaders(Map<String, String> headers) {
    Objects.requireNonNull(headers, "headers");
    Map<String, String> copy = new LinkedHashMap<>();
    headers.forEach(
        (k, v) -> {
          if (k == null || k.isEmpty() || v == null) {
            throw new InvalidOptionsException(
                "header keys must be non-empty and values non-null: " + k + "=" + v);
          }
          copy.put(k, v);
        });
    try {
      ReservedHeaders.check(copy);
    } catch (InvalidTaskException e) {
      throw new InvalidOptionsException(e.getMessage());
    }
    return Collections.unmodifiableMap(copy);
  }

  /** Builds {@link EnqueueOptions}; each setter checks its value at once. */
  public static final class Builder {
    private String queue = Task.DEFAULT_QUEUE;
    private Optional<Duration> delay = Optional.empty();
    private Optional<Instant> runAt = Optional.empty();
    private int priority = Task.DEFAULT_PRIORITY;
    private Optional<UniqueKey> uniqueKey = Optional.empty();
    private Optional<Integer> maxAttempts = Optional.empty();
    private Optional<Duration> timeout = Optional.empty();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Optional<TaskId> id = Optional.empty();

    private Builder() {}

    /**
     * The queue (default {@value Task#DEFAULT_QUEUE}).
     *
     * @param queue the queue's name
     * @return this builder
     * @throws InvalidOptionsException {@code queue} is not a valid queue name
     */
    public Builder queue(String queue) {
      this.queue = checkQueue(queue);
      return this;
    }

    /**
     * Makes the task ready once {@code delay} has passed on the broker's clock (default: at once).
     *
     * @param delay zero or more
     * @return this builder
     * @throws InvalidOptionsException {@code delay} is negative, or a run-at time was set
     */
    public Builder delay(Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (runAt.isPresent()) {
        throw new InvalidOptionsException(
            "give a delay or a run-at time, not both: run at " + runAt.get() + ", delay " + delay);
      }
      checkDelay(delay);
      this.delay = Optional.of(delay);
      return this;
    }

    /**
     * Makes the task ready at {@code runAt} (at once if that is not in the future). An absolute
     * time: the producer's and the broker's clocks must agree; prefer {@link #delay} when they may
     * not.
     *
     * @param runAt when the task becomes ready
     * @return this builder
     * @throws InvalidOptionsException a delay was set
     */
    public Builder runAt(Instant runAt) {
      Objects.requireNonNull(runAt, "runAt");
      if (delay.isPresent()) {
        throw new InvalidOptionsException(
            "give a delay or a run-at time, not both: delay " + delay.get() + ", run at " + runAt);
      }
      this.runAt = Optional.of(runAt);
      return this;
    }

    /**
     * The priority within its queue (default {@value Task#DEFAULT_PRIORITY}): higher first.
     *
     * @param priority {@value Task#MIN_PRIORITY}..{@value Task#MAX_PRIORITY}
     * @return this builder
     * @throws InvalidOptionsException {@code priority} is outside the range
     */
    public Builder priority(int priority) {
      checkPriority(priority);
      this.priority = priority;
      return this;
    }

    /**
     * Enqueues only if no task holds {@code key} in the queue; otherwise {@link DqClient#enqueue}
     * answers the holder's id and enqueues nothing. Needs a broker that offers {@link
     * dev.dq.core.lifecycle.UniqueTasks}.
     *
     * @param key the unique key, with or without a window
     * @return this builder
     */
    public Builder uniqueKey(UniqueKey key) {
      this.uniqueKey = Optional.of(Objects.requireNonNull(key, "key"));
      return this;
    }

    /**
     * Attempts in total for this task, the first included, instead of the worker pool's.
     *
     * @param maxAttempts at least 1; 1 means never retry
     * @return this builder
     * @throws InvalidOptionsException {@code maxAttempts} is below 1
     */
    public Builder maxAttempts(int maxAttempts) {
      checkMaxAttempts(maxAttempts);
      this.maxAttempts = Optional.of(maxAttempts);
      return this;
    }

    /**
     * Time limit of one attempt of this task, instead of the worker pool's; whole milliseconds (a
     * finer part is dropped).
     *
     * @param timeout at least 1 ms
     * @return this builder
     * @throws InvalidOptionsException {@code timeout} is shorter than 1 ms
     */
    public Builder timeout(Duration timeout) {
      checkTimeout(Objects.requireNonNull(timeout, "timeout"));
      this.timeout = Optional.of(timeout);
      return this;
    }

    /**
     * Adds a header, or replaces the value of {@code key}. A reserved header ({@value
     * ReservedHeaders#MAX_ATTEMPTS}, {@value ReservedHeaders#TIMEOUT_MS}) is checked like the
     * option it stands for; the option, if set too, wins.
     *
     * @param key the header's name, non-empty
     * @param value its value
     * @return this builder
     * @throws InvalidOptionsException the key is empty, or a reserved header's value is malformed
     */
    public Builder header(String key, String value) {
      Map<String, String> one = checkHeaders(Collections.singletonMap(key, value));
      headers.putAll(one);
      return this;
    }

    /**
     * The task's id (default: the client generates one). Enqueueing the same id again while the
     * first task is held (waiting, running or dead) is refused as a duplicate, so a retry after an
     * unknown outcome cannot store it twice while it has not run; once that task has ended, the id
     * is free again. For a retry that must stay safe after the task ended, give a {@link #uniqueKey
     * unique key} with a window as well.
     *
     * @param id the id
     * @return this builder
     */
    public Builder id(TaskId id) {
      this.id = Optional.of(Objects.requireNonNull(id, "id"));
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public EnqueueOptions build() {
      return new EnqueueOptions(
          queue, delay, runAt, priority, uniqueKey, maxAttempts, timeout, headers, id);
    }
  }
}
