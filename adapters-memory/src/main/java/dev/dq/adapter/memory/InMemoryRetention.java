package dev.dq.adapter.memory;

import dev.dq.core.lifecycle.Retention;
import dev.dq.core.lifecycle.Trimmed;
import dev.dq.core.task.TaskId;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Retention of an {@link InMemoryBroker}: each queue's settings, and trimming its finished records
 * ({@link EndedTasks}), dead letters and stale unique keys. Guarded by the {@link Store}'s lock.
 */
final class InMemoryRetention {
  private final Store store;
  private final Map<String, Retention> settings = new HashMap<>(); // guarded by store.lock

  InMemoryRetention(Store store) {
    this.store = store;
  }

  Retention of(String queue) {
    return store.locked(() -> settings.getOrDefault(queue, Retention.DEFAULT));
  }

  void set(String queue, Retention retention) {
    store.locked(() -> settings.put(queue, retention));
  }

  /** Trims everything beyond the queue's retention in one step under the lock. */
  Trimmed trim(String queue) {
    return store.locked(
        () -> {
          QueueState q = store.existing(queue);
          if (q == null) {
            return Trimmed.NONE;
          }
          Retention r = settings.getOrDefault(queue, Retention.DEFAULT);
          Instant now = store.clock.instant();
          List<TaskId> finished = q.ended.trim(now, r.finishedFor(), r.finishedMax());
          for (TaskId id : finished) {
            if (!q.holds(id)) {
              q.unique.release(id, now);
            }
          }
          List<TaskId> dead = q.trimDead(now, r.deadFor(), r.deadMax());
          dead.forEach(id -> q.unique.release(id, now));
          q.unique.sweep(now, q::holdsLive);
          return finished.isEmpty() && dead.isEmpty()
              ? Trimmed.NONE
              : new Trimmed(finished.size(), dead.size());
        });
  }
}
