package dev.dq.opentelemetry;

import io.opentelemetry.api.trace.SpanContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The span of the last attempt of the most recently run tasks, by task id, for linking a retry to
 * it: a bounded map that forgets the least recently used task first.
 */
final class Attempts {
  private final int capacity;
  private final Map<String, SpanContext> last;

  Attempts(int capacity) {
    this.capacity = capacity;
    this.last =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, SpanContext> eldest) {
            return size() > Attempts.this.capacity;
          }
        };
  }

  synchronized SpanContext get(String taskId) {
    return last.get(taskId);
  }

  synchronized void put(String taskId, SpanContext span) {
    if (capacity > 0) {
      last.put(taskId, span);
    }
  }
}
