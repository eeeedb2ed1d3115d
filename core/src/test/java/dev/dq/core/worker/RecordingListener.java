package dev.dq.core.worker;

import dev.dq.core.lifecycle.Trimmed;
import dev.dq.core.task.TaskId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event, for assertions. */
final class RecordingListener implements TaskEventListener {
  private final List<TaskEvent> events = new CopyOnWriteArrayList<>();
  final List<Map.Entry<String, Trimmed>> trims = new CopyOnWriteArrayList<>();

  @Override
  public void on(TaskEvent event) {
    events.add(event);
  }

  @Override
  public void onTrimmed(String queue, Trimmed trimmed) {
    trims.add(Map.entry(queue, trimmed));
  }

  <T extends TaskEvent> List<T> all(Class<T> kind) {
    return events.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  <T extends TaskEvent> List<T> of(Class<T> kind, TaskId id) {
    return all(kind).stream().filter(e -> e.task().id().equals(id)).toList();
  }
}
