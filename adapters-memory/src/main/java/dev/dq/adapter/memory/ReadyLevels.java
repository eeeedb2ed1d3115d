package dev.dq.adapter.memory;

import dev.dq.core.task.Task;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The ready tasks of one queue, one FIFO per priority level ({@link Task#MIN_PRIORITY} ..{@link
 * Task#MAX_PRIORITY}): {@link #poll} takes the head of the highest level that has a task, so a
 * ready task of a higher level always goes before one of a lower level, and each level keeps its
 * order. A task goes to the level of its {@link Task#priority()}. Not thread-safe: used under the
 * {@link Store}'s lock, like {@link QueueState}.
 */
final class ReadyLevels {
  private final ArrayDeque<Task>[] levels;
  private int size;

  /** Highest level that may hold a task, so a poll of a queue of default tasks looks at one. */
  private int top = Task.MIN_PRIORITY - 1;

  @SuppressWarnings("unchecked")
  ReadyLevels() {
    levels = new ArrayDeque[Task.MAX_PRIORITY + 1];
  }

  int size() {
    return size;
  }

  /** Puts a task at the tail of its level. */
  void addLast(Task task) {
    level(task).addLast(task);
    size++;
  }

  /** Puts a task at the head of its level. */
  void addFirst(Task task) {
    level(task).addFirst(task);
    size++;
  }

  /** Removes and returns the head of the highest non-empty level, or null if none holds a task. */
  Task poll() {
    while (top >= Task.MIN_PRIORITY) {
      ArrayDeque<Task> level = levels[top];
      Task task = level == null ? null : level.pollFirst();
      if (task != null) {
        size--;
        return task;
      }
      top--;
    }
    return null;
  }

  /**
   * Takes the task of {@code id} out of its level, wherever it is: O(ready tasks).
   *
   * @return the task, or null if none of that id is ready
   */
  Task remove(dev.dq.core.task.TaskId id) {
    for (ArrayDeque<Task> level : levels) {
      if (level == null) {
        continue;
      }
      for (Iterator<Task> it = level.iterator(); it.hasNext(); ) {
        Task task = it.next();
        if (task.id().equals(id)) {
          it.remove();
          size--;
          return task;
        }
      }
    }
    return null;
  }

  /**
   * The ready tasks in the order {@link #poll} would take them: highest level first, FIFO within a
   * level. Its {@code remove} takes the last task returned out (limit admission takes tasks from
   * anywhere in the order).
   */
  Iterator<Task> iterator() {
    return new Iterator<>() {
      private int p = top;
      private Iterator<Task> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && p >= Task.MIN_PRIORITY) {
          ArrayDeque<Task> level = levels[p--];
          current = level == null ? Collections.emptyIterator() : level.iterator();
        }
        return current.hasNext();
      }

      @Override
      public Task next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }

      @Override
      public void remove() {
        current.remove();
        size--;
      }
    };
  }

  private ArrayDeque<Task> level(Task task) {
    int p = task.priority();
    if (levels[p] == null) {
      levels[p] = new ArrayDeque<>();
    }
    top = Math.max(top, p);
    return levels[p];
  }
}
