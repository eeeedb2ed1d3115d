package dev.dq.opentelemetry;

import dev.dq.core.worker.TaskEvent;
import dev.dq.core.worker.TaskEventListener;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The consumer spans of the attempts running now, by task id, ended by whichever comes first: the
 * handler's return or the pool's word on the delivery ({@link TaskEvent.TimedOut}, {@link
 * TaskEvent.Cancelled}, {@link TaskEvent.Released}). Each span is ended exactly once.
 *
 * <p>A handler that ends by an interrupt (it throws {@link InterruptedException}, or its thread is
 * left interrupted) was interrupted by the pool: by its timeout, a cancel or a stop. When this
 * listener is registered with the pool, such a span is left open for the event that follows, which
 * tells whether the attempt failed or was handed back; a {@link TaskEvent.Failed} or {@link
 * TaskEvent.LeaseLost} ends it as failed, and a later start of the same task ends a span no event
 * ended. Unregistered, the handler's return ends the span, as before.
 */
final class LiveSpans implements TaskEventListener {
  static final AttributeKey<String> HANDED_BACK = AttributeKey.stringKey(DqTracing.HANDED_BACK);

  private final Map<String, Live> live = new ConcurrentHashMap<>();
  private volatile boolean listening;

  /** A running attempt's span. */
  static final class Live {
    private final Span span;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean awaitingEvent;

    Live(Span span) {
      this.span = span;
    }

    /** True once, for whoever ends the span. */
    private boolean claim() {
      return ended.compareAndSet(false, true);
    }
  }

  Live open(String taskId, Span span) {
    Live l = new Live(span);
    live.put(taskId, l);
    return l;
  }

  /** The handler returned ({@code error} null) or threw. */
  void handlerEnded(String taskId, Live l, Throwable error) {
    if (error != null && listening && interrupted(error) && !l.ended.get()) {
      l.span.recordException(error);
      l.awaitingEvent = true;
      if (!l.ended.get()) {
        return; // the pool's event ends it
      }
    }
    live.remove(taskId, l);
    if (l.claim()) {
      if (error != null) {
        DqTracing.fail(l.span, error);
      }
      l.span.end();
    }
  }

  private static boolean interrupted(Throwable error) {
    return error instanceof InterruptedException
        || error.getCause() instanceof InterruptedException
        || Thread.currentThread().isInterrupted();
  }

  @Override
  public void on(TaskEvent event) {
    listening = true;
    String id = event.task().id().value();
    if (event instanceof TaskEvent.TimedOut e) {
      end(id, false, l -> l.span.setStatus(StatusCode.ERROR, "timed out after " + e.timeout()));
    } else if (event instanceof TaskEvent.Cancelled) {
      end(id, false, l -> l.span.setStatus(StatusCode.ERROR, "cancelled"));
    } else if (event instanceof TaskEvent.Released e) {
      end(id, false, l -> l.span.setAttribute(HANDED_BACK, e.reason()));
    } else if (event instanceof TaskEvent.Failed e) {
      end(id, true, l -> l.span.setStatus(StatusCode.ERROR, e.errorType()));
    } else if (event instanceof TaskEvent.LeaseLost e) {
      end(id, true, l -> l.span.setStatus(StatusCode.ERROR, "lease lost on " + e.operation()));
    } else if (event instanceof TaskEvent.Started) {
      end(id, true, l -> {}); // the previous delivery is over, whatever became of it
    }
  }

  private void end(String id, boolean onlyAwaiting, java.util.function.Consumer<Live> mark) {
    Live l = live.get(id);
    if (l == null || (onlyAwaiting && !l.awaitingEvent) || !l.claim()) {
      return;
    }
    live.remove(id, l);
    mark.accept(l);
    l.span.end();
  }

  /** Spans open now; for tests. */
  int open() {
    return live.size();
  }
}
