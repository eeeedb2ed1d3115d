package dev.dq.core.task;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One unit of work: immutable. Build with {@link #builder(String)}.
 *
 * @param id unique identity; redeliveries keep it, so handlers can deduplicate on it
 * @param queue the queue it travels on (default {@value #DEFAULT_QUEUE})
 * @param type selects the handler; 1..128 characters of {@code [A-Za-z0-9._:-]}
 * @param payload opaque bytes for the handler
 * @param headers small string metadata (trace ids, tenant, ...), insertion-ordered, unmodifiable
 * @param createdAt when the producer built it
 * @param attempt which attempt the next delivery is, starting at 1; a failure that is retried adds
 *     one
 * @param priority its level within its queue, {@value #MIN_PRIORITY}..{@value #MAX_PRIORITY},
 *     higher first (default {@value #DEFAULT_PRIORITY}); a ready task of a higher level is always
 *     taken before one of a lower level, and the task keeps its level through delays, retries,
 *     releases and reclaims (see {@link dev.dq.core.port.Broker})
 */
public record Task(
    TaskId id,
    String queue,
    String type,
    Payload payload,
    Map<String, String> headers,
    Instant createdAt,
    int attempt,
    int priority) {

  /** The queue of a task that names none. */
  public static final String DEFAULT_QUEUE = "default";

  /** The priority of a task that names none: the middle level, so others can go above or below. */
  public static final int DEFAULT_PRIORITY = 5;

  /** The lowest priority. */
  public static final int MIN_PRIORITY = 0;

  /** The highest priority. */
  public static final int MAX_PRIORITY = 9;

  /**
   * Checks the values and copies the headers.
   *
   * @param id unique identity
   * @param queue the queue it travels on
   * @param type selects the handler
   * @param payload opaque bytes for the handler
   * @param headers small string metadata; copied
   * @param createdAt when the producer built it
   * @param attempt which attempt the next delivery is, from 1
   * @param priority its level, {@value #MIN_PRIORITY}..{@value #MAX_PRIORITY}, higher first
   * @throws InvalidTaskException if a name, a header, the attempt or the priority is invalid
   */
  public Task {
    Objects.requireNonNull(id, "id");
    Names.check("queue", queue);
    Names.check("task type", type);
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(createdAt, "createdAt");
    if (attempt < 1) {
      throw new InvalidTaskException("task " + id + ": attempt must be >= 1: " + attempt);
    }
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      throw new InvalidTaskException("task " + id + ": " + priorityMessage(priority));
    }
    headers = copyHeaders(id, headers);
  }

  /**
   * A task of the default priority ({@value #DEFAULT_PRIORITY}): the constructor of the time before
   * priorities, kept so that existing callers compile.
   *
   * @param id unique identity
   * @param queue the queue it travels on
   * @param type selects the handler
   * @param payload opaque bytes for the handler
   * @param headers small string metadata; copied
   * @param createdAt when the producer built it
   * @param attempt which attempt the next delivery is, from 1
   * @throws InvalidTaskException if a name, a header or the attempt is invalid
   */
  public Task(
      TaskId id,
      String queue,
      String type,
      Payload payload,
      Map<String, String> headers,
      Instant createdAt,
      int attempt) {
    this(id, queue, type, payload, headers, createdAt, attempt, DEFAULT_PRIORITY);
  }

  /**
   * Checks a priority.
   *
   * @param priority the value to check
   * @return {@code priority}
   * @throws InvalidTaskException if it is outside {@value #MIN_PRIORITY}..{@value #MAX_PRIORITY}
   */
  public static int checkPriority(int priority) {
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      throw new InvalidTaskException(priorityMessage(priority));
    }
    return priority;
  }

  private static String priorityMessage(int priority) {
    return "priority must be " + MIN_PRIORITY + ".." + MAX_PRIORITY + ": " + priority;
  }

  /**
   * A builder of a task of {@code type}.
   *
   * @param type selects the handler
   * @return a new builder
   * @throws InvalidTaskException if {@code type} is not a valid name
   */
  public static Builder builder(String type) {
    return new Builder(type);
  }

  /**
   * This task, to be delivered as attempt {@code next}.
   *
   * @param next the attempt number, from 1
   * @return the task with that attempt
   */
  public Task withAttempt(int next) {
    return new Task(id, queue, type, payload, headers, createdAt, next, priority);
  }

  /**
   * A builder that starts from this task's values.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b =
        new Builder(type)
            .id(id)
            .queue(queue)
            .payload(payload)
            .createdAt(createdAt)
            .attempt(attempt)
            .priority(priority);
    b.headers.putAll(headers);
    return b;
  }

  private static Map<String, String> copyHeaders(TaskId id, Map<String, String> headers) {
    if (headers == null || headers.isEmpty()) {
      return Map.of();
    }
    var copy = new LinkedHashMap<String, String>();
    headers.forEach(
        (k, v) -> {
          if (k == null || k.isEmpty() || v == null) {
            throw new InvalidTaskException(
                "task " + id + ": header keys must be non-empty and values non-null");
          }
          copy.put(k, v);
        });
    return java.util.Collections.unmodifiableMap(copy);
  }

  /** Builds a {@link Task}; a missing id is generated, a missing creation time is required. */
  public static final class Builder {
    private final String type;
    private TaskId id;
    private String queue = DEFAULT_QUEUE;
    private Payload payload = Payload.EMPTY;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Instant createdAt;
    private int attempt = 1;
    private int priority = DEFAULT_PRIORITY;
    private TaskLimits limits = TaskLimits.DEFAULT;

    private Builder(String type) {
      this.type = Names.check("task type", type);
    }

    /**
     * The task's id (default a new {@link TaskId#random()}).
     *
     * @param id the id
     * @return this builder
     */
    public Builder id(TaskId id) {
      this.id = Objects.requireNonNull(id, "id");
      return this;
    }

    /**
     * The task's id, as text.
     *
     * @param id the id
     * @return this builder
     * @throws InvalidTaskException if {@code id} is not a valid name
     */
    public Builder id(String id) {
      return id(new TaskId(id));
    }

    /**
     * The queue (default {@value Task#DEFAULT_QUEUE}).
     *
     * @param queue the queue's name
     * @return this builder
     * @throws InvalidTaskException if {@code queue} is not a valid name
     */
    public Builder queue(String queue) {
      this.queue = Names.check("queue", queue);
      return this;
    }

    /**
     * The payload (default empty).
     *
     * @param payload the payload
     * @return this builder
     */
    public Builder payload(Payload payload) {
      this.payload = Objects.requireNonNull(payload, "payload");
      return this;
    }

    /**
     * The payload, as a copy of {@code bytes}.
     *
     * @param bytes the bytes
     * @return this builder
     */
    public Builder payload(byte[] bytes) {
      return payload(Payload.of(bytes));
    }

    /**
     * The payload, as {@code utf8} encoded in UTF-8.
     *
     * @param utf8 the text
     * @return this builder
     */
    public Builder payload(String utf8) {
      return payload(Payload.ofUtf8(utf8));
    }

    /**
     * Adds a header, or replaces the value of {@code key}; checked at {@link #build()}.
     *
     * @param key the header's name, non-empty
     * @param value its value, non-null
     * @return this builder
     */
    public Builder header(String key, String value) {
      headers.put(key, value);
      return this;
    }

    /**
     * Creation time: pass {@code clock.instant()} from the producer's clock.
     *
     * @param createdAt when the producer built the task
     * @return this builder
     */
    public Builder createdAt(Instant createdAt) {
      this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
      return this;
    }

    /**
     * The attempt the next delivery is (default 1).
     *
     * @param attempt from 1
     * @return this builder
     * @throws InvalidTaskException if {@code attempt} is below 1
     */
    public Builder attempt(int attempt) {
      if (attempt < 1) {
        throw new InvalidTaskException("attempt must be >= 1: " + attempt);
      }
      this.attempt = attempt;
      return this;
    }

    /**
     * The priority within its queue (default {@value Task#DEFAULT_PRIORITY}): higher first.
     *
     * @param priority {@value Task#MIN_PRIORITY}..{@value Task#MAX_PRIORITY}
     * @return this builder
     * @throws InvalidTaskException if {@code priority} is outside the range
     */
    public Builder priority(int priority) {
      this.priority = checkPriority(priority);
      return this;
    }

    /**
     * Limits to check at {@link #build()} (default {@link TaskLimits#DEFAULT}).
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder limits(TaskLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Builds the task.
     *
     * @return the task
     * @throws IllegalStateException if no creation time was set
     * @throws InvalidTaskException if the task breaks its limits or a header is invalid
     */
    public Task build() {
      if (createdAt == null) {
        throw new IllegalStateException("createdAt is required: pass clock.instant()");
      }
      Task task =
          new Task(
              id == null ? TaskId.random() : id,
              queue,
              type,
              payload,
              headers,
              createdAt,
              attempt,
              priority);
      limits.check(task);
      return task;
    }
  }
}
