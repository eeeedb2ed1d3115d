package dev.dq.core.client;

import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.DeleteOutcome;
import dev.dq.core.lifecycle.RunNowOutcome;
import dev.dq.core.lifecycle.TaskCancels;
import dev.dq.core.lifecycle.TaskControls;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskLookup;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.lifecycle.UniqueOutcome;
import dev.dq.core.lifecycle.UniqueTasks;
import dev.dq.core.port.Broker;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.worker.TaskEvent;
import dev.dq.core.worker.TaskEventListener;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The typed face of a broker for programs that use dq as a library: enqueue a value with {@link
 * EnqueueOptions}, then find, await, decode the result of or cancel the task through its {@link
 * TaskRef} (or run it now or delete it). The client fills in each task's id and creation time,
 * encodes values with its {@link PayloadCodec}, and asks the broker for the optional capabilities
 * it needs ({@link TaskLookup}, {@link TaskCancels}, {@link TaskControls}, {@link UniqueTasks}); a
 * broker without one answers {@link UnsupportedOperationException} naming it. Thread-safe; build
 * one per broker with {@link #builder}.
 */
public final class DqClient {
  private final Broker broker;
  private final PayloadCodec codec;
  private final InstantSource clock;
  private final Supplier<TaskId> ids;
  private final Duration enqueueTimeout;
  private final TaskEventListener listener;

  private DqClient(Builder b) {
    this.broker = b.broker;
    this.codec = b.codec;
    this.clock = b.clock;
    this.ids = b.ids;
    this.enqueueTimeout = b.enqueueTimeout;
    this.listener = b.listener;
  }

  /**
   * A builder of a client of {@code broker}.
   *
   * @param broker the broker, which stays the caller's to close
   * @return a new builder
   */
  public static Builder builder(Broker broker) {
    return new Builder(broker);
  }

  /**
   * The codec this client encodes and decodes with.
   *
   * @return the codec
   */
  public PayloadCodec codec() {
    return codec;
  }

  /**
   * Enqueues {@code value} as a task of {@code type} on the default queue, ready at once.
   *
   * @param type the task type
   * @param value what the handler receives, encoded by the codec
   * @return the task's reference
   * @throws InterruptedException interrupted while waiting for room; nothing was enqueued
   * @see #enqueue(String, Object, EnqueueOptions)
   */
  public TaskRef enqueue(String type, Object value) throws InterruptedException {
    return enqueue(type, value, EnqueueOptions.DEFAULT);
  }

  /**
   * Enqueues {@code value} as a task of {@code type}, as {@code options} say. Waits for room in the
   * queue up to the client's enqueue timeout. With a unique key whose task is held already, nothing
   * is enqueued and the holder's id is answered ({@link TaskRef#enqueued()} false); a run-at time
   * then becomes a delay measured on this client's clock, since unique enqueues take only delays.
   *
   * @param type the task type
   * @param value what the handler receives, encoded by the codec
   * @param options queue, timing, priority, unique key, attempts, timeout, headers, id
   * @return the task's reference
   * @throws dev.dq.core.task.InvalidTaskException {@code type} is not a valid name, or the task
   *     breaks the size limits
   * @throws CodecException the codec cannot encode {@code value}
   * @throws UnsupportedOperationException a unique key was given and the broker does not offer
   *     {@link UniqueTasks}
   * @throws dev.dq.core.port.QueueFullException the queue stayed full for the enqueue timeout
   * @throws dev.dq.core.port.DuplicateTaskException the options' id is held already
   * @throws InterruptedException interrupted while waiting for room; nothing was enqueued
   */
  public TaskRef enqueue(String type, Object value, EnqueueOptions options)
      throws InterruptedException {
    Objects.requireNonNull(options, "options");
    Task task = task(type, value, options);
    if (options.uniqueKey().isPresent()) {
      UniqueTasks unique = capability(UniqueTasks.class, "unique tasks");
      Duration delay =
          options
              .runAt()
              .map(at -> positive(Duration.between(clock.instant(), at)))
              .or(options::delay)
              .orElse(Duration.ZERO);
      UniqueOutcome outcome =
          unique.enqueueUnique(task, options.uniqueKey().get(), delay, enqueueTimeout);
      listener.on(
          outcome.enqueued()
              ? new TaskEvent.Enqueued(task)
              : new TaskEvent.UniqueHit(task, outcome.id()));
      return new TaskRef(outcome.id(), task.queue(), outcome.enqueued());
    }
    if (options.runAt().isPresent()) {
      broker.enqueueAt(task, options.runAt().get(), enqueueTimeout);
    } else if (options.delay().isPresent() && !options.delay().get().isZero()) {
      broker.enqueueIn(task, options.delay().get(), enqueueTimeout);
    } else {
      broker.enqueue(task, enqueueTimeout);
    }
    listener.on(new TaskEvent.Enqueued(task));
    return new TaskRef(task.id(), task.queue(), true);
  }

  /**
   * The task {@link #enqueue} would enqueue: id and creation time filled in, value encoded.
   *
   * @param type the task type
   * @param value the value
   * @param options the options
   * @return the task
   */
  Task task(String type, Object value, EnqueueOptions options) {
    Task.Builder b =
        Task.builder(type)
            .id(options.id().orElseGet(ids))
            .queue(options.queue())
            .payload(codec.encode(value))
            .priority(options.priority())
            .createdAt(clock.instant());
    options.taskHeaders().forEach(b::header);
    return b.build();
  }

  /**
   * What the broker knows of the task now.
   *
   * @param ref the task
   * @return its state and details, or empty if the broker does not know it
   * @throws UnsupportedOperationException the broker does not offer {@link TaskLookup}
   */
  public Optional<TaskInfo> find(TaskRef ref) {
    return capability(TaskLookup.class, "task lookup").find(ref.queue(), ref.id());
  }

  /**
   * Waits until the task ends (succeeds, dies or is cancelled), at most {@code timeout}; see {@link
   * TaskLookup#await}.
   *
   * @param ref the task
   * @param timeout how long to wait at most; zero looks once
   * @return its terminal state and details, or empty if it did not end in time
   * @throws UnsupportedOperationException the broker does not offer {@link TaskLookup}
   * @throws InterruptedException interrupted while waiting
   */
  public Optional<TaskInfo> await(TaskRef ref, Duration timeout) throws InterruptedException {
    return capability(TaskLookup.class, "task lookup").await(ref.queue(), ref.id(), timeout);
  }

  /**
   * Waits until the task ends, at most {@code timeout}, and decodes its result into {@code type}. A
   * task that succeeded without a result decodes the empty payload (for instance {@code null} for
   * {@link Void}, {@code ""} for {@link String}).
   *
   * @param ref the task
   * @param timeout how long to wait at most; zero looks once
   * @param type the result's class
   * @param <R> the result's type
   * @return the decoded result; empty if the task did not end in time (or its result decodes to
   *     {@code null})
   * @throws TaskNotSucceededException the task died or was cancelled
   * @throws CodecException the result is not a valid {@code type}
   * @throws UnsupportedOperationException the broker does not offer {@link TaskLookup}
   * @throws InterruptedException interrupted while waiting
   */
  public <R> Optional<R> result(TaskRef ref, Duration timeout, Class<R> type)
      throws InterruptedException {
    Objects.requireNonNull(type, "type");
    Optional<TaskInfo> ended = await(ref, timeout);
    if (ended.isEmpty()) {
      return Optional.empty();
    }
    TaskInfo info = ended.get();
    if (info.state() != TaskState.SUCCEEDED) {
      throw new TaskNotSucceededException(info);
    }
    return Optional.ofNullable(codec.decode(info.result().orElse(Payload.EMPTY), type));
  }

  /**
   * Cancels the task; see {@link TaskCancels#cancel}.
   *
   * @param ref the task
   * @return what happened
   * @throws UnsupportedOperationException the broker does not offer {@link TaskCancels}
   */
  public CancelOutcome cancel(TaskRef ref) {
    return capability(TaskCancels.class, "cancelling tasks").cancel(ref.queue(), ref.id());
  }

  /**
   * Makes the delayed or retrying task ready now; see {@link TaskControls#runNow}.
   *
   * @param ref the task
   * @return what happened
   * @throws UnsupportedOperationException the broker does not offer {@link TaskControls}
   */
  public RunNowOutcome runNow(TaskRef ref) {
    return capability(TaskControls.class, "running tasks now").runNow(ref.queue(), ref.id());
  }

  /**
   * Deletes the waiting task, or a finished one's record; see {@link TaskControls#delete}.
   *
   * @param ref the task
   * @return what happened
   * @throws UnsupportedOperationException the broker does not offer {@link TaskControls}
   */
  public DeleteOutcome delete(TaskRef ref) {
    return capability(TaskControls.class, "deleting tasks").delete(ref.queue(), ref.id());
  }

  /**
   * A handler of {@code type} that receives the payload decoded into {@code inputType} and whose
   * result is encoded, both with this client's codec; register it with {@link
   * dev.dq.core.worker.WorkerPool.Builder#handler(dev.dq.core.worker.NamedTaskHandler)}.
   *
   * @param type the task type
   * @param inputType the class the payload is decoded into
   * @param body the work
   * @param <I> the input's type
   * @param <O> the result's type
   * @return the handler
   */
  public <I, O> CodecTaskHandler<I, O> handler(
      String type, Class<I> inputType, TypedHandler.Body<I, O> body) {
    return TypedHandler.of(type, inputType, body).adapt(codec);
  }

  private <C> C capability(Class<C> port, String what) {
    if (port.isInstance(broker)) {
      return port.cast(broker);
    }
    throw new UnsupportedOperationException(
        "broker "
            + broker.getClass().getSimpleName()
            + " does not offer "
            + what
            + " ("
            + port.getName()
            + ")");
  }

  private static Duration positive(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** Builds a {@link DqClient}. */
  public static final class Builder {
    private final Broker broker;
    private PayloadCodec codec = StringCodec.INSTANCE;
    private InstantSource clock = InstantSource.system();
    private Supplier<TaskId> ids = TaskId::random;
    private Duration enqueueTimeout = Duration.ofSeconds(10);
    private TaskEventListener listener = TaskEventListener.NONE;

    private Builder(Broker broker) {
      this.broker = Objects.requireNonNull(broker, "broker");
    }

    /**
     * The codec of values and results (default {@link StringCodec}).
     *
     * @param codec the codec
     * @return this builder
     */
    public Builder codec(PayloadCodec codec) {
      this.codec = Objects.requireNonNull(codec, "codec");
      return this;
    }

    /**
     * The clock of tasks' creation times (default the system clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where ids of tasks come from when the options give none (default {@link TaskId#random()}).
     *
     * @param ids the id supplier; must never repeat an id
     * @return this builder
     */
    public Builder ids(Supplier<TaskId> ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /**
     * How long an enqueue waits for room in a full queue (default 10 s).
     *
     * @param timeout zero or more; zero fails at once when full
     * @return this builder
     * @throws IllegalArgumentException {@code timeout} is negative
     */
    public Builder enqueueTimeout(Duration timeout) {
      if (Objects.requireNonNull(timeout, "timeout").isNegative()) {
        throw new IllegalArgumentException("enqueueTimeout must not be negative: " + timeout);
      }
      this.enqueueTimeout = timeout;
      return this;
    }

    /**
     * Told of each task the broker accepted, as {@link TaskEvent.Enqueued}, and of each unique
     * enqueue that found its key held, as {@link TaskEvent.UniqueHit} (default none).
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(TaskEventListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the client.
     *
     * @return the client
     */
    public DqClient build() {
      return new DqClient(this);
    }
  }
}
