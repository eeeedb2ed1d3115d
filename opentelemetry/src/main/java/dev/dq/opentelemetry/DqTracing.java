package dev.dq.opentelemetry;

import dev.dq.core.client.DqClient;
import dev.dq.core.client.EnqueueOptions;
import dev.dq.core.client.TaskRef;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskLimits;
import dev.dq.core.worker.NamedTaskHandler;
import dev.dq.core.worker.Producer;
import dev.dq.core.worker.ResultTaskHandler;
import dev.dq.core.worker.TaskEventListener;
import dev.dq.core.worker.TaskHandler;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Trace propagation for dq, following OpenTelemetry's messaging conventions. The entry point of
 * this module: build one per {@link OpenTelemetry} and use it on both sides, or one with {@link
 * #global()} when the {@link GlobalOpenTelemetry} is set later than the tracing is built.
 *
 * <ul>
 *   <li><b>Producer.</b> {@link #producer(Producer)} and {@link #enqueue(DqClient, String, Object,
 *       EnqueueOptions)} start a {@link SpanKind#PRODUCER PRODUCER} span {@code publish <queue>} (a
 *       child of the current span, if any) and write its W3C {@value TraceHeaders#TRACEPARENT},
 *       {@value TraceHeaders#TRACESTATE} and {@value TraceHeaders#BAGGAGE} into the task's headers.
 *       A header that would break the {@link TaskLimits} (too long, or one header too many) is left
 *       out and counted in {@link #droppedHeaders()}; the task is still enqueued. {@link
 *       #inject(Task)} writes the headers of the current context without a span.
 *   <li><b>Worker.</b> {@link #handler(TaskHandler)} wraps a handler so that each attempt runs in a
 *       {@link SpanKind#CONSUMER CONSUMER} span {@code process <queue>}, a child of the context the
 *       headers carry, with the baggage current. A handler that throws marks its span {@link
 *       StatusCode#ERROR} with the exception recorded. Malformed trace headers are ignored and
 *       counted in {@link #malformedHeaders()}: the attempt runs, in a new trace. Register {@link
 *       #listener()} with the pool so that an attempt that times out, is cancelled or is handed
 *       back ends its span by what the pool did, not only by what the handler returned. A handler
 *       traced already is not wrapped again.
 *   <li><b>Retries.</b> Every attempt is a child of the same producer span, numbered by {@value
 *       #ATTEMPT}; an attempt after the first also links to the span of the previous attempt when
 *       this process ran it. The link is remembered in memory (the last {@link
 *       Builder#rememberedAttempts} tasks), not in the task: a retry that lands on another worker
 *       process has no link, only its parent and attempt number.
 * </ul>
 *
 * <p>Attributes: {@code messaging.system=dq}, {@code messaging.destination.name} (the queue),
 * {@code messaging.message.id} (the task id), {@code messaging.operation.type} ({@code send} or
 * {@code process}), {@code messaging.operation.name}, {@value #ATTEMPT} and {@value #TASK_TYPE}.
 * Thread-safe.
 */
public final class DqTracing {
  /** The attempt number of a consumer span, from 1. */
  public static final String ATTEMPT = "messaging.dq.attempt";

  /** The task type. */
  public static final String TASK_TYPE = "messaging.dq.task.type";

  /** Why an attempt was handed back to the broker, spending no attempt (see {@link #listener}). */
  public static final String HANDED_BACK = "messaging.dq.handed_back";

  static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> DESTINATION =
      AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
  static final AttributeKey<String> OPERATION_TYPE =
      AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<String> OPERATION_NAME =
      AttributeKey.stringKey("messaging.operation.name");
  static final AttributeKey<Long> BATCH_COUNT =
      AttributeKey.longKey("messaging.batch.message_count");
  static final AttributeKey<Long> ATTEMPT_KEY = AttributeKey.longKey(ATTEMPT);
  static final AttributeKey<String> TASK_TYPE_KEY = AttributeKey.stringKey(TASK_TYPE);

  private static final String SCOPE = "dev.dq.opentelemetry";

  private final Supplier<Tracer> tracer;
  private final TraceHeaders headers;
  private final Attempts attempts;
  private final LiveSpans live = new LiveSpans();

  private DqTracing(Builder b) {
    if (b.openTelemetry != null) {
      Tracer fixed = b.openTelemetry.getTracer(SCOPE);
      this.tracer = () -> fixed;
    } else {
      Supplier<? extends OpenTelemetry> lookup = b.lookup;
      this.tracer = () -> lookup.get().getTracer(SCOPE);
    }
    this.headers = new TraceHeaders(b.limits);
    this.attempts = new Attempts(b.rememberedAttempts);
  }

  /**
   * Tracing with the default {@link TaskLimits} and 10,000 remembered attempts.
   *
   * @param openTelemetry where the tracer comes from
   * @return the tracing
   */
  public static DqTracing create(OpenTelemetry openTelemetry) {
    return builder(openTelemetry).build();
  }

  /**
   * A builder.
   *
   * @param openTelemetry where the tracer comes from
   * @return the builder
   */
  public static Builder builder(OpenTelemetry openTelemetry) {
    return new Builder(Objects.requireNonNull(openTelemetry, "openTelemetry"), null);
  }

  /**
   * A builder whose tracing asks {@code openTelemetry} for its tracer at each span, not once at
   * build: for an {@link OpenTelemetry} set up after the tracing is built.
   *
   * @param openTelemetry looked up at each span; must not return null
   * @return the builder
   */
  public static Builder builder(Supplier<? extends OpenTelemetry> openTelemetry) {
    return new Builder(null, Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /**
   * Tracing on whatever {@link GlobalOpenTelemetry} holds when each span starts ({@link
   * GlobalOpenTelemetry#getOrNoop()}: no spans until one is set), with the defaults of {@link
   * #create}. Building it never calls {@link GlobalOpenTelemetry#get()}, which would install a
   * no-op global and make a later {@link GlobalOpenTelemetry#set} fail; so it may be built before
   * the agent or the application sets the global.
   *
   * @return the tracing
   */
  public static DqTracing global() {
    return builder(GlobalOpenTelemetry::getOrNoop).build();
  }

  /**
   * {@code task} with the trace headers of the current context, those that fit the limits.
   *
   * @param task the task
   * @return the task with its trace headers; {@code task} itself if there is nothing to propagate
   */
  public Task inject(Task task) {
    return headers.inject(task, Context.current());
  }

  /**
   * A producer that traces each publish through {@code producer}.
   *
   * @param producer the producer that enqueues
   * @return the tracing producer
   */
  public TracingProducer producer(Producer producer) {
    return new TracingProducer(this, producer);
  }

  /**
   * {@link DqClient#enqueue(String, Object, EnqueueOptions)} in a producer span, with its trace
   * headers added to the options' headers.
   *
   * @param client the client
   * @param type the task type
   * @param value what the handler receives
   * @param options how to enqueue
   * @return what {@link DqClient#enqueue(String, Object, EnqueueOptions)} returns
   * @throws InterruptedException interrupted while waiting for room; nothing was enqueued
   */
  public TaskRef enqueue(DqClient client, String type, Object value, EnqueueOptions options)
      throws InterruptedException {
    Span span = publishSpan(options.queue(), 1).startSpan();
    try (Scope scope = span.makeCurrent()) {
      // Limits count the reserved headers the client adds too, so check against all of them.
      Map<String, String> traced = headers.withTrace(options.taskHeaders(), Context.current());
      Map<String, String> all = new LinkedHashMap<>(options.headers());
      for (String name : TraceHeaders.names()) {
        if (traced.containsKey(name)) {
          all.put(name, traced.get(name));
        }
      }
      TaskRef ref =
          client.enqueue(
              type,
              value,
              new EnqueueOptions(
                  options.queue(),
                  options.delay(),
                  options.runAt(),
                  options.priority(),
                  options.uniqueKey(),
                  options.maxAttempts(),
                  options.timeout(),
                  all,
                  options.id()));
      span.setAttribute(MESSAGE_ID, ref.id().value());
      return ref;
    } catch (InterruptedException | RuntimeException e) {
      fail(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  /**
   * {@code handler}, each attempt in a consumer span; a {@link ResultTaskHandler}'s result is kept.
   *
   * @param handler the handler
   * @return the traced handler
   */
  public TaskHandler handler(TaskHandler handler) {
    if (handler instanceof TracedHandler) {
      return handler; // traced already: a second span would nest in the first
    }
    return new TracedHandler(this, handler);
  }

  /**
   * {@code handler}, each attempt in a consumer span, under the same type.
   *
   * @param handler the handler
   * @return the traced handler
   */
  public NamedTaskHandler handler(NamedTaskHandler handler) {
    if (handler instanceof TracedNamedHandler) {
      return handler;
    }
    return new TracedNamedHandler(this, handler);
  }

  /**
   * The listener that ends the consumer span of an attempt the pool gave up on: register it with
   * every {@link dev.dq.core.worker.WorkerPool} that runs this tracing's handlers ({@link
   * dev.dq.core.worker.WorkerPool.Builder#listener}, or {@link TaskEventListener#all}). Without it
   * a span ends only when its handler returns, with the handler's outcome.
   *
   * <p>With it: a handler that overruns its timeout, or whose task is cancelled, has its span ended
   * {@link StatusCode#ERROR} when the pool gives up on it, even if the handler swallows the
   * interrupt and returns normally, or never returns. An attempt handed back to the broker (on
   * stop, or because its type was saturated) spends no attempt: its span ends with {@value
   * #HANDED_BACK} set to the reason, not as an error. Each span is ended exactly once.
   *
   * @return the listener, the same one each call
   */
  public TaskEventListener listener() {
    return live;
  }

  /**
   * Trace headers left off a task because they would have broken its limits.
   *
   * @return the count since this tracing was built
   */
  public long droppedHeaders() {
    return headers.dropped();
  }

  /**
   * Trace headers of delivered tasks that could not be read, and were ignored.
   *
   * @return the count since this tracing was built
   */
  public long malformedHeaders() {
    return headers.malformed();
  }

  SpanBuilder publishSpan(String queue, int tasks) {
    SpanBuilder b =
        tracer
            .get()
            .spanBuilder("publish " + queue)
            .setSpanKind(SpanKind.PRODUCER)
            .setAttribute(SYSTEM, "dq")
            .setAttribute(DESTINATION, queue)
            .setAttribute(OPERATION_TYPE, "send")
            .setAttribute(OPERATION_NAME, "publish");
    if (tasks > 1) {
      b.setAttribute(BATCH_COUNT, (long) tasks);
    }
    return b;
  }

  static void fail(Span span, Throwable error) {
    span.recordException(error);
    span.setStatus(StatusCode.ERROR, error.getClass().getName());
  }

  /** Runs one attempt of {@code task} in its consumer span. */
  Payload process(Task task, TaskHandler handler) throws Exception {
    Context parent = headers.extract(task);
    SpanBuilder b =
        tracer
            .get()
            .spanBuilder("process " + task.queue())
            .setSpanKind(SpanKind.CONSUMER)
            .setParent(parent)
            .setAttribute(SYSTEM, "dq")
            .setAttribute(DESTINATION, task.queue())
            .setAttribute(MESSAGE_ID, task.id().value())
            .setAttribute(OPERATION_TYPE, "process")
            .setAttribute(OPERATION_NAME, "process")
            .setAttribute(ATTEMPT_KEY, (long) task.attempt())
            .setAttribute(TASK_TYPE_KEY, task.type());
    SpanContext previous = task.attempt() > 1 ? attempts.get(task.id().value()) : null;
    if (previous != null) {
      b.addLink(previous);
    }
    Span span = b.startSpan();
    attempts.put(task.id().value(), span.getSpanContext());
    LiveSpans.Live running = live.open(task.id().value(), span);
    Throwable error = null;
    try (Scope scope = parent.with(span).makeCurrent()) {
      if (handler instanceof ResultTaskHandler withResult) {
        return withResult.call(task);
      }
      handler.handle(task);
      return Payload.EMPTY;
    } catch (Throwable e) {
      error = e;
      throw e;
    } finally {
      live.handlerEnded(task.id().value(), running, error);
    }
  }

  /** Builds {@link DqTracing}; each setter checks its value. */
  public static final class Builder {
    private final OpenTelemetry openTelemetry;
    private final Supplier<? extends OpenTelemetry> lookup;
    private TaskLimits limits = TaskLimits.DEFAULT;
    private int rememberedAttempts = 10_000;

    private Builder(OpenTelemetry openTelemetry, Supplier<? extends OpenTelemetry> lookup) {
      this.openTelemetry = openTelemetry;
      this.lookup = lookup;
    }

    /**
     * The header limits of the broker the tasks go to (default {@link TaskLimits#DEFAULT}).
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder limits(TaskLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * How many tasks' last attempt span this process remembers, to link a retry to it (default
     * 10,000; 0: no links).
     *
     * @param tasks at least 0
     * @return this builder
     * @throws IllegalArgumentException {@code tasks} is negative
     */
    public Builder rememberedAttempts(int tasks) {
      if (tasks < 0) {
        throw new IllegalArgumentException("rememberedAttempts must be >= 0: " + tasks);
      }
      this.rememberedAttempts = tasks;
      return this;
    }

    /**
     * Builds the tracing.
     *
     * @return the tracing
     */
    public DqTracing build() {
      return new DqTracing(this);
    }
  }
}
