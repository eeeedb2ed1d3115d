package dev.dq.core.worker;

import dev.dq.core.lifecycle.Trimmed;
import java.util.List;

/**
 * Receives {@link TaskEvent}s synchronously on the thread where they happen, so it must be fast,
 * thread-safe and not throw (an exception is logged and ignored).
 */
@FunctionalInterface
public interface TaskEventListener {
  /** A listener that ignores every event. */
  TaskEventListener NONE = event -> {};

  /**
   * Receives one event.
   *
   * @param event what happened
   */
  void on(TaskEvent event);

  /**
   * Receives what one pass of the pool's retention trimming removed from {@code queue} (only when
   * it removed something). About a queue, not a task, so it is not a {@link TaskEvent}. The default
   * ignores it.
   *
   * @param queue the trimmed queue
   * @param trimmed what was removed
   */
  default void onTrimmed(String queue, Trimmed trimmed) {}

  /**
   * A listener that forwards to each of {@code listeners} in order.
   *
   * @param listeners the listeners
   * @return the forwarding listener
   */
  static TaskEventListener all(List<TaskEventListener> listeners) {
    List<TaskEventListener> copy = List.copyOf(listeners);
    return new TaskEventListener() {
      @Override
      public void on(TaskEvent event) {
        copy.forEach(l -> l.on(event));
      }

      @Override
      public void onTrimmed(String queue, Trimmed trimmed) {
        copy.forEach(l -> l.onTrimmed(queue, trimmed));
      }
    };
  }
}
