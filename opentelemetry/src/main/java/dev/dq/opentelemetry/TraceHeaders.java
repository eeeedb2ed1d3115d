package dev.dq.opentelemetry;

import dev.dq.core.task.Task;
import dev.dq.core.task.TaskLimits;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes and reads the W3C trace headers of a task within its header limits, and counts what it
 * drops (would break a limit) and what it cannot read (malformed).
 */
final class TraceHeaders {
  /** The W3C trace context: version, trace id, parent span id, flags. */
  static final String TRACEPARENT = "traceparent";

  /** Vendor-specific trace state that goes with {@value #TRACEPARENT}. */
  static final String TRACESTATE = "tracestate";

  /** W3C baggage: key-value pairs that travel with the trace. */
  static final String BAGGAGE = "baggage";

  /** In order of importance: when room runs out the later ones are dropped first. */
  private static final List<String> NAMES = List.of(TRACEPARENT, TRACESTATE, BAGGAGE);

  private static final TextMapPropagator PROPAGATOR =
      TextMapPropagator.composite(
          W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance());

  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private final TaskLimits limits;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();

  TraceHeaders(TaskLimits limits) {
    this.limits = limits;
  }

  /**
   * {@code task} with the trace headers of {@code context} added (replacing any it had), each one
   * that would break {@link TaskLimits#maxHeaderBytes} or {@link TaskLimits#maxHeaders} dropped and
   * counted.
   */
  Task inject(Task task, Context context) {
    Map<String, String> headers = withTrace(task.headers(), context);
    if (headers.equals(task.headers())) {
      return task;
    }
    return new Task(
        task.id(),
        task.queue(),
        task.type(),
        task.payload(),
        headers,
        task.createdAt(),
        task.attempt(),
        task.priority());
  }

  /**
   * A copy of {@code headers} with the trace headers of {@code context} that fit the limits added;
   * the others dropped and counted.
   */
  Map<String, String> withTrace(Map<String, String> headers, Context context) {
    Map<String, String> trace = new LinkedHashMap<>();
    PROPAGATOR.inject(context, trace, Map::put);
    Map<String, String> out = new LinkedHashMap<>(headers);
    for (String name : NAMES) {
      String value = trace.get(name);
      if (value == null) {
        continue;
      }
      boolean fits =
          utf8Length(name) <= limits.maxHeaderBytes()
              && utf8Length(value) <= limits.maxHeaderBytes()
              && (out.containsKey(name) || out.size() < limits.maxHeaders());
      if (fits) {
        out.put(name, value);
      } else {
        dropped.incrementAndGet();
      }
    }
    return out;
  }

  /** The names of the trace headers, in order of importance. */
  static List<String> names() {
    return NAMES;
  }

  /**
   * The context the task's headers carry, on top of the root context; a malformed header is ignored
   * and counted.
   */
  Context extract(Task task) {
    Map<String, String> headers = task.headers();
    Context context = PROPAGATOR.extract(Context.root(), headers, GETTER);
    SpanContext parent = Span.fromContext(context).getSpanContext();
    String traceparent = headers.get(TRACEPARENT);
    if (traceparent != null && !parent.isValid()) {
      malformed.incrementAndGet();
    }
    String tracestate = headers.get(TRACESTATE);
    if (parent.isValid()
        && tracestate != null
        && !tracestate.isBlank()
        && parent.getTraceState().isEmpty()) {
      malformed.incrementAndGet();
    }
    String baggage = headers.get(BAGGAGE);
    if (baggage != null && !baggage.isBlank() && Baggage.fromContext(context).isEmpty()) {
      malformed.incrementAndGet();
    }
    return context;
  }

  long dropped() {
    return dropped.get();
  }

  long malformed() {
    return malformed.get();
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
