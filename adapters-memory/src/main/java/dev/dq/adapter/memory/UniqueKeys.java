package dev.dq.adapter.memory;

import dev.dq.core.task.TaskId;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The unique keys of one queue: which task took each, and until when a windowed one is held. Not
 * thread-safe: called with the owning {@link Store}'s lock held, like {@link QueueState}.
 *
 * <p>A key is held while the task that took it is held and not dead, or while its window is open; a
 * key that is not held is taken over by the next enqueue with it. Releasing is lazy, as on Redis:
 * nothing happens when a task ends; removing a task for good ({@link #release}) and {@link #sweep}
 * drop the entries.
 */
final class UniqueKeys {
  /** A taken key: the task that took it, and the end of its window (null: until that task ends). */
  private record Holder(TaskId id, Instant until) {}

  private final Map<String, Holder> byKey = new HashMap<>();
  private final Map<TaskId, String> keyOf = new HashMap<>();

  /**
   * The task that holds {@code key} at {@code now}, or null if it is free or stale.
   *
   * @param live whether a task id is held and not dead
   */
  TaskId holder(String key, Instant now, Predicate<TaskId> live) {
    Holder h = byKey.get(key);
    if (h == null) {
      return null;
    }
    boolean windowOpen = h.until != null && h.until.isAfter(now);
    return windowOpen || live.test(h.id) ? h.id : null;
  }

  /** Gives {@code key} to {@code id}, taking it over from a stale holder. */
  void take(String key, TaskId id, Instant until, Instant now) {
    Holder old = byKey.get(key);
    if (old != null && !old.id.equals(id) && key.equals(keyOf.get(old.id))) {
      keyOf.remove(old.id);
    }
    release(id, now); // a key this id took in an earlier run
    byKey.put(key, new Holder(id, until));
    keyOf.put(id, key);
  }

  /**
   * The task {@code id} is gone for good: forgets its key unless a later task holds that key or its
   * window is still open (then {@link #sweep} drops it later).
   */
  void release(TaskId id, Instant now) {
    String key = keyOf.get(id);
    if (key == null) {
      return;
    }
    Holder h = byKey.get(key);
    if (h != null && h.id.equals(id)) {
      if (h.until != null && h.until.isAfter(now)) {
        return;
      }
      byKey.remove(key);
    }
    keyOf.remove(id);
  }

  /**
   * The task {@code id} was deleted as if never enqueued: forgets its key even within its window,
   * unless a later task holds that key.
   */
  void forget(TaskId id) {
    String key = keyOf.remove(id);
    if (key != null && byKey.containsKey(key) && byKey.get(key).id.equals(id)) {
      byKey.remove(key);
    }
  }

  /**
   * Drops the keys that are no longer held at {@code now}: window passed (or none) and task not
   * {@code live}.
   *
   * @return how many
   */
  int sweep(Instant now, Predicate<TaskId> live) {
    int dropped = 0;
    Iterator<Map.Entry<String, Holder>> it = byKey.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Holder> e = it.next();
      Holder h = e.getValue();
      boolean windowOpen = h.until != null && h.until.isAfter(now);
      if (!windowOpen && !live.test(h.id)) {
        it.remove();
        if (e.getKey().equals(keyOf.get(h.id))) {
          keyOf.remove(h.id);
        }
        dropped++;
      }
    }
    return dropped;
  }

  /** Forgets every key: the queue was deleted. */
  void clear() {
    byKey.clear();
    keyOf.clear();
  }

  /** Whether anything of {@code id} is kept here (tests: nothing of a trimmed task is left). */
  boolean mentions(TaskId id) {
    return keyOf.containsKey(id) || byKey.values().stream().anyMatch(h -> h.id.equals(id));
  }
}
