package dev.dq.adapter.memory;

import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The ids of one {@link dev.dq.core.ops.TaskBrowser} listing of a queue, in the listing's order:
 * ready highest priority first, scheduled (delayed and retrying) soonest first, active by lease
 * expiry, dead oldest first, finished newest first. Called with the store's lock held.
 */
final class Listings {
  private Listings() {}

  /** One page of ids and the listing's size. */
  record Slice(long total, List<TaskId> ids) {}

  static Slice slice(QueueState q, TaskState state, long offset, int limit) {
    return switch (state) {
      case READY -> ready(q, offset, limit);
      case DELAYED, RETRYING -> page(q.delayedIdsInDueOrder(), offset, limit);
      case ACTIVE -> page(active(q), offset, limit);
      case DEAD -> dead(q, offset, limit);
      case SUCCEEDED, CANCELLED -> page(q.ended.newestFirst(), offset, limit);
    };
  }

  private static Slice ready(QueueState q, long offset, int limit) {
    List<TaskId> ids = new ArrayList<>(limit);
    long skipped = 0;
    for (Iterator<Task> it = q.readyIterator(); it.hasNext() && ids.size() < limit; ) {
      Task task = it.next();
      if (skipped++ >= offset) {
        ids.add(task.id());
      }
    }
    return new Slice(q.readyCount(), ids);
  }

  private static List<TaskId> active(QueueState q) {
    return q.deliveries().stream()
        .sorted(Comparator.comparing(InFlight::expiresAt).thenComparingLong(InFlight::token))
        .map(d -> d.task().id())
        .toList();
  }

  private static Slice dead(QueueState q, long offset, int limit) {
    int from = (int) Math.min(Integer.MAX_VALUE, offset);
    List<TaskId> ids = new ArrayList<>();
    for (DeadLetter d : q.deadSlice(from, limit)) {
      ids.add(d.task().id());
    }
    return new Slice(q.deadCount(), ids);
  }

  private static Slice page(List<TaskId> all, long offset, int limit) {
    int from = (int) Math.min(all.size(), offset);
    int to = (int) Math.min(all.size(), (long) from + limit);
    return new Slice(all.size(), List.copyOf(all.subList(from, to)));
  }
}
