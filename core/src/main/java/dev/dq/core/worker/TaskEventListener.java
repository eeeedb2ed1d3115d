package dev.dq.core.worker;

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
   * A listener that forwards to each of {@code listeners} in order.
   *
   * @param listeners the listeners
   * @return the forwarding listener
   */
  static TaskEventListener all(List<TaskEventListener> listeners) {
    List<TaskEventListener> copy = List.copyOf(listeners);
    return event -> copy.forEach(l -> l.on(event));
  }
}
