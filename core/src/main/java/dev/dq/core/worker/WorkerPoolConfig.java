package dev.dq.core.worker;

import dev.dq.core.retry.RetryPolicy;
import dev.dq.core.task.Names;
import dev.dq.core.task.ReservedHeaders;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a {@link WorkerPool}. Immutable; build with {@link #builder()}, whose setters reject
 * a bad value at once with the value in the message.
 *
 * @param workers handlers that may run at once (worker slots)
 * @param queues queues to take tasks from, each with its own poller
 * @param retryPolicy attempts and backoff
 * @param leaseTime how long a delivery is held before the broker may give it to another worker; the
 *     pool renews leases of running tasks every third of it, so only a dead worker's tasks are
 *     delivered again
 * @param pollWait longest single blocking dequeue; bounds how long stop waits for pollers
 * @param reapInterval how often this pool asks the broker to reclaim expired leases
 * @param defaultTimeout handler time limit for types without their own; empty = none
 * @param timeouts handler time limit per type
 * @param concurrency most handlers of one type at once, per type; a handler abandoned after its
 *     timeout no longer counts, so a type whose handlers ignore interrupts can briefly exceed its
 *     limit
 * @param maxDeferred tasks of saturated types this pool may hold (leased) while waiting for a slot
 *     of their type; past it they go back to the broker for {@code saturatedRequeueDelay}
 * @param saturatedRequeueDelay delay before a task handed back for a saturated type is ready again
 * @param workerName prefix of worker thread names and of the {@code worker} log field
 * @param prefetch tasks a worker claims per broker call and keeps leased until it runs them (1 =
 *     one at a time); more saves round trips to a remote broker at the cost of tasks waiting behind
 *     a busy worker
 * @param ackBatch successes a worker acknowledges per broker call; it also flushes whenever it runs
 *     out of claimed tasks, so an ack waits at most for the rest of one prefetched batch (leases
 *     stay renewed meanwhile)
 * @param weights each served queue's weight (1 unless given): while several queues have work,
 *     worker slots are busy with each in proportion to its weight, in slot-time (see {@link
 *     Builder#queue(String, int)})
 * @param strict serve the queues in the order given, the first one first, instead of by weight (see
 *     {@link Builder#strict()})
 */
public record WorkerPoolConfig(
    int workers,
    List<String> queues,
    RetryPolicy retryPolicy,
    Duration leaseTime,
    Duration pollWait,
    Duration reapInterval,
    Optional<Duration> defaultTimeout,
    Map<String, Duration> timeouts,
    Map<String, Integer> concurrency,
    int maxDeferred,
    Duration saturatedRequeueDelay,
    String workerName,
    int prefetch,
    int ackBatch,
    Map<String, Integer> weights,
    boolean strict) {

  /**
   * Copies the lists and maps; {@link #builder()} checks the values.
   *
   * @param workers handlers that may run at once
   * @param queues queues to take tasks from
   * @param retryPolicy attempts and backoff
   * @param leaseTime how long a delivery is held
   * @param pollWait longest single blocking dequeue
   * @param reapInterval how often expired leases are reclaimed
   * @param defaultTimeout handler time limit for types without their own
   * @param timeouts handler time limit per type
   * @param concurrency most handlers of one type at once, per type
   * @param maxDeferred tasks of saturated types held while waiting for a slot
   * @param saturatedRequeueDelay delay of a task handed back for a saturated type
   * @param workerName prefix of worker thread names
   * @param prefetch tasks a worker claims per broker call
   * @param ackBatch successes a worker acknowledges per broker call
   * @param weights each served queue's weight; a queue left out weighs 1
   * @param strict serve the queues in the order given instead of by weight
   */
  public WorkerPoolConfig {
    queues = List.copyOf(queues);
    timeouts = Map.copyOf(timeouts);
    concurrency = Map.copyOf(concurrency);
    weights = Map.copyOf(weights);
  }

  /**
   * A builder with the defaults: 3 workers, queue {@code default}, {@link RetryPolicy#DEFAULT},
   * leases of 8 s, polls of 1 s, reaping every 1 s, no timeouts or concurrency limits, 4 deferred
   * tasks per worker, 100 ms before a saturated type's task is ready again, workers named {@code
   * dq-worker}, prefetch 1 and ack batches of 1.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Time limit for one attempt of {@code type}, if any.
   *
   * @param type the task type
   * @return its own limit, else the default limit, else empty
   */
  public Optional<Duration> timeoutFor(String type) {
    Duration d = timeouts.get(type);
    return d != null ? Optional.of(d) : defaultTimeout;
  }

  /**
   * Time limit for one attempt of {@code task}, if any: its own ({@link
   * ReservedHeaders#TIMEOUT_MS}), else {@link #timeoutFor(String) its type's}. A malformed value of
   * the header is ignored (see {@link ReservedHeaders#timeout}).
   *
   * @param task the task
   * @return its limit, or empty
   */
  public Optional<Duration> timeoutFor(Task task) {
    Optional<Duration> own = ReservedHeaders.timeout(task);
    return own.isPresent() ? own : timeoutFor(task.type());
  }

  /**
   * The weight of a served queue.
   *
   * @param queue the queue
   * @return its weight, 1 unless one was given
   */
  public int weightOf(String queue) {
    return weights.getOrDefault(queue, 1);
  }

  /** Builds a {@link WorkerPoolConfig}; each setter checks its value at once. */
  public static final class Builder {
    private int workers = 3;
    private final List<String> queues = new ArrayList<>();
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private Duration leaseTime = Duration.ofSeconds(8);
    private Duration pollWait = Duration.ofSeconds(1);
    private Duration reapInterval = Duration.ofSeconds(1);
    private Duration defaultTimeout;
    private final Map<String, Duration> timeouts = new LinkedHashMap<>();
    private final Map<String, Integer> concurrency = new LinkedHashMap<>();
    private Integer maxDeferred;
    private Duration saturatedRequeueDelay = Duration.ofMillis(100);
    private String workerName = "dq-worker";
    private int prefetch = 1;
    private int ackBatch = 1;
    private final Map<String, Integer> weights = new LinkedHashMap<>();
    private boolean strict;

    private Builder() {}

    /**
     * Handlers that may run at once (default 3).
     *
     * @param workers at least 1
     * @return this builder
     * @throws IllegalArgumentException if it is below 1
     */
    public Builder workers(int workers) {
      this.workers = atLeastOne("workers", workers);
      return this;
    }

    /**
     * Adds a queue to serve; when none is added the pool serves {@code default}.
     *
     * @param queue the queue's name
     * @return this builder
     */
    public Builder queue(String queue) {
      String name = Names.check("queue", queue);
      if (!queues.contains(name)) {
        queues.add(name);
      }
      return this;
    }

    /**
     * Adds a queue to serve with a weight. While several served queues have ready tasks, worker
     * slots are busy with each (in slot-time, whatever its handlers' speeds) in proportion to its
     * weight; a queue without work leaves its share to the others, and no queue with work is
     * starved. A queue added without a weight weighs 1; adding a queue again sets its weight.
     *
     * @param queue the queue's name
     * @param weight at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code weight} is below 1, or {@link #strict()} was set
     */
    public Builder queue(String queue, int weight) {
      String name = Names.check("queue", queue);
      atLeastOne("weight of queue " + name, weight);
      if (strict) {
        throw new IllegalArgumentException(
            "queue weights and strict order exclude each other: weight of " + name + " given");
      }
      queue(name);
      weights.put(name, weight);
      return this;
    }

    /**
     * Serves the queues in the order they were added: before each claim a worker tries the first
     * queue, then the next, and so on, so a lower queue's task starts only when every queue before
     * it was found empty. Excludes weights.
     *
     * @return this builder
     * @throws IllegalArgumentException if a queue was given a weight
     */
    public Builder strict() {
      if (!weights.isEmpty()) {
        throw new IllegalArgumentException(
            "queue weights and strict order exclude each other: weights given " + weights);
      }
      this.strict = true;
      return this;
    }

    /**
     * Attempts and backoff (default {@link RetryPolicy#DEFAULT}).
     *
     * @param retryPolicy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * How long a delivery is held before the broker may give it to another worker (default 8 s).
     *
     * @param leaseTime positive
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder leaseTime(Duration leaseTime) {
      this.leaseTime = positive("leaseTime", leaseTime);
      return this;
    }

    /**
     * Longest single blocking dequeue (default 1 s).
     *
     * @param pollWait positive
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder pollWait(Duration pollWait) {
      this.pollWait = positive("pollWait", pollWait);
      return this;
    }

    /**
     * How often this pool asks the broker to reclaim expired leases (default 1 s).
     *
     * @param reapInterval positive
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder reapInterval(Duration reapInterval) {
      this.reapInterval = positive("reapInterval", reapInterval);
      return this;
    }

    /**
     * Handler time limit for types without their own (default none).
     *
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder defaultTimeout(Duration timeout) {
      this.defaultTimeout = positive("defaultTimeout", timeout);
      return this;
    }

    /**
     * Handler time limit for {@code type}.
     *
     * @param type the task type
     * @param timeout positive
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public Builder timeout(String type, Duration timeout) {
      timeouts.put(Names.check("task type", type), positive("timeout of " + type, timeout));
      return this;
    }

    /**
     * Most handlers of {@code type} at once.
     *
     * @param type the task type
     * @param limit at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code limit} is below 1
     */
    public Builder concurrency(String type, int limit) {
      concurrency.put(Names.check("task type", type), atLeastOne("concurrency of " + type, limit));
      return this;
    }

    /**
     * Tasks of saturated types this pool may hold while waiting for a slot (default 4 per worker).
     *
     * @param maxDeferred at least 0
     * @return this builder
     * @throws IllegalArgumentException if it is negative
     */
    public Builder maxDeferred(int maxDeferred) {
      if (maxDeferred < 0) {
        throw new IllegalArgumentException("maxDeferred must be >= 0: " + maxDeferred);
      }
      this.maxDeferred = maxDeferred;
      return this;
    }

    /**
     * Delay before a task handed back for a saturated type is ready again (default 100 ms).
     *
     * @param delay zero or more
     * @return this builder
     * @throws IllegalArgumentException if it is negative
     */
    public Builder saturatedRequeueDelay(Duration delay) {
      Objects.requireNonNull(delay, "saturatedRequeueDelay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("saturatedRequeueDelay must be >= 0: " + delay);
      }
      this.saturatedRequeueDelay = delay;
      return this;
    }

    /**
     * Prefix of worker thread names and of the {@code worker} log field (default {@code
     * dq-worker}).
     *
     * @param workerName a valid name
     * @return this builder
     */
    public Builder workerName(String workerName) {
      this.workerName = Names.check("workerName", workerName);
      return this;
    }

    /**
     * Tasks a worker claims per broker call (default 1).
     *
     * @param prefetch at least 1
     * @return this builder
     * @throws IllegalArgumentException if it is below 1
     */
    public Builder prefetch(int prefetch) {
      this.prefetch = atLeastOne("prefetch", prefetch);
      return this;
    }

    /**
     * Successes a worker acknowledges per broker call (default 1).
     *
     * @param ackBatch at least 1
     * @return this builder
     * @throws IllegalArgumentException if it is below 1
     */
    public Builder ackBatch(int ackBatch) {
      this.ackBatch = atLeastOne("ackBatch", ackBatch);
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return the settings
     */
    public WorkerPoolConfig build() {
      return new WorkerPoolConfig(
          workers,
          queues.isEmpty() ? List.of(dev.dq.core.task.Task.DEFAULT_QUEUE) : queues,
          retryPolicy,
          leaseTime,
          pollWait,
          reapInterval,
          Optional.ofNullable(defaultTimeout),
          timeouts,
          concurrency,
          maxDeferred != null ? maxDeferred : workers * 4,
          saturatedRequeueDelay,
          workerName,
          prefetch,
          ackBatch,
          weights,
          strict);
    }

    private static int atLeastOne(String what, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(what + " must be >= 1: " + value);
      }
      return value;
    }

    private static Duration positive(String what, Duration value) {
      Objects.requireNonNull(value, what);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(what + " must be > 0: " + value);
      }
      return value;
    }
  }
}
