package dev.dq.adapter.memory;

import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The finished (succeeded, cancelled) tasks of one queue, kept for lookup in the order they
 * finished. Not thread-safe: called with the owning {@link Store}'s lock held, like {@link
 * QueueState}.
 */
final class EndedTasks {
  private final LinkedHashMap<TaskId, TaskInfo> records = new LinkedHashMap<>();

  /**
   * Records a task that finished; a record of the same id (an earlier run of a reused id) is
   * replaced and moves to the end.
   */
  void put(TaskInfo info) {
    if (!info.state().isFinished()) {
      throw new IllegalArgumentException("not a finished task: " + info.state());
    }
    records.remove(info.id());
    records.put(info.id(), info);
  }

  Optional<TaskInfo> get(TaskId id) {
    return Optional.ofNullable(records.get(id));
  }

  /** Forgets the record of {@code id}, if any (its id was enqueued again). */
  void remove(TaskId id) {
    records.remove(id);
  }

  /** The ids of the records, the newest finish first (a copy: O(records)). */
  List<TaskId> newestFirst() {
    List<TaskId> ids = new ArrayList<>(records.keySet());
    java.util.Collections.reverse(ids);
    return ids;
  }

  int size() {
    return records.size();
  }

  /**
   * Removes, oldest first, the records that finished before {@code now - keepFor} and those beyond
   * the newest {@code max}.
   *
   * @return the ids removed, so the caller can drop what else they hold
   */
  List<TaskId> trim(Instant now, Duration keepFor, long max) {
    Instant cutoff = now.minus(keepFor);
    List<TaskId> removed = new ArrayList<>();
    Iterator<Map.Entry<TaskId, TaskInfo>> oldestFirst = records.entrySet().iterator();
    while (oldestFirst.hasNext()) {
      TaskInfo oldest = oldestFirst.next().getValue();
      boolean tooMany = records.size() > max;
      boolean tooOld = oldest.finishedAt().map(at -> at.isBefore(cutoff)).orElse(true);
      if (!tooMany && !tooOld) {
        break;
      }
      oldestFirst.remove();
      removed.add(oldest.id());
    }
    return removed;
  }
}
