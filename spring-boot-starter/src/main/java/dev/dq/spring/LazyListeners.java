package dev.dq.spring;

import dev.dq.core.lifecycle.Trimmed;
import dev.dq.core.worker.TaskEvent;
import dev.dq.core.worker.TaskEventListener;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The application's {@link TaskEventListener} beans, looked up on first use rather than when the
 * client or pool is built. A listener bean (the Micrometer binder) may itself need the pool, and
 * handler beans often need the client: resolving late keeps those from forming a cycle.
 */
final class LazyListeners implements TaskEventListener {
  private final ObjectProvider<TaskEventListener> beans;
  private volatile TaskEventListener all;

  LazyListeners(ObjectProvider<TaskEventListener> beans) {
    this.beans = beans;
  }

  /** Looks the beans up now; the pool calls it when it starts, before any event. */
  TaskEventListener resolve() {
    TaskEventListener resolved = all;
    if (resolved == null) {
      synchronized (this) {
        resolved = all;
        if (resolved == null) {
          List<TaskEventListener> found = beans.orderedStream().toList();
          resolved = found.isEmpty() ? TaskEventListener.NONE : TaskEventListener.all(found);
          all = resolved;
        }
      }
    }
    return resolved;
  }

  @Override
  public void on(TaskEvent event) {
    resolve().on(event);
  }

  @Override
  public void onTrimmed(String queue, Trimmed trimmed) {
    resolve().onTrimmed(queue, trimmed);
  }
}
