package dev.dq.adapter.memory;

import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.DeadLetterFilter;
import dev.dq.core.port.DeadLetterMark;
import dev.dq.core.port.DeadLetterPage;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.DuplicateTaskException;
import dev.dq.core.port.InvalidDeadLetterQueryException;
import dev.dq.core.port.QueueFullException;
import dev.dq.core.port.TaskNotFoundException;
import dev.dq.core.task.TaskId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The dead-letter queue of one {@link InMemoryBroker}, obtained from {@link
 * InMemoryBroker#deadLetterQueue()}. It shares the broker's lock and state, so moves between the
 * two are atomic, and a requeue respects the queue's capacity like an enqueue with no wait.
 *
 * <p>An id stays taken while its task is dead: enqueueing the same id fails with {@code
 * DuplicateTaskException} until the entry is requeued, deleted or purged.
 */
public final class InMemoryDeadLetterQueue implements DeadLetterQueue {
  private final Store store;

  InMemoryDeadLetterQueue(Store store) {
    this.store = store;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A replaced entry moves to the end, as it is the newest death. Works after the broker is
   * closed.
   *
   * @throws DuplicateTaskException the task's queue holds the id live (ready, delayed or in
   *     flight); dead-lettering a live task goes through {@link InMemoryBroker#deadLetter} with its
   *     lease
   */
  @Override
  public void add(DeadLetter entry) {
    Objects.requireNonNull(entry, "entry");
    TaskId id = entry.task().id();
    store.locked(
        () -> {
          QueueState q = store.queue(entry.task().queue());
          if (q.holdsLive(id)) {
            throw new DuplicateTaskException(
                "task " + id + ": queue " + q.name + " holds it live, not dead");
          }
          q.bury(entry);
        });
  }

  @Override
  public List<DeadLetter> list(String queue, int offset, int limit) {
    Objects.requireNonNull(queue, "queue");
    Checks.nonNegative("offset", offset);
    Checks.nonNegative("limit", limit);
    return store.locked(
        () -> {
          QueueState q = store.existing(queue);
          return q == null ? List.of() : q.deadSlice(offset, limit);
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>A cursor is the death sequence of the last entry scanned, in decimal.
   */
  @Override
  public DeadLetterPage find(String queue, DeadLetterFilter filter, String cursor, int limit) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(filter, "filter");
    long after = parseCursor(queue, cursor);
    DeadLetterPage.checkLimit(limit);
    return store.locked(
        () -> {
          QueueState q = store.existing(queue);
          if (q == null) {
            return new DeadLetterPage(List.of(), new DeadLetterMark(queue, 0), cursor, true, 0);
          }
          var rest = q.deadBetween(after, Long.MAX_VALUE).entrySet().iterator();
          List<DeadLetter> matches = new ArrayList<>();
          long last = after;
          int scanned = 0;
          while (scanned < SCAN_LIMIT && matches.size() < limit && rest.hasNext()) {
            Map.Entry<Long, TaskId> next = rest.next();
            scanned++;
            last = next.getKey();
            DeadLetter entry = q.dead(next.getValue());
            if (filter.matches(entry)) {
              matches.add(entry);
            }
          }
          return new DeadLetterPage(
              matches,
              new DeadLetterMark(queue, q.deadSeq()),
              scanned == 0 ? cursor : Long.toString(last),
              !rest.hasNext(),
              scanned);
        });
  }

  private static long parseCursor(String queue, String cursor) {
    Objects.requireNonNull(cursor, "cursor");
    if (cursor.equals(FIRST)) {
      return 0;
    }
    try {
      long after = Long.parseLong(cursor);
      if (after >= 0) {
        return after;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidDeadLetterQueryException(
        "not a dead-letter cursor of queue " + queue + ": \"" + cursor + "\"");
  }

  @Override
  public DeadLetterMark mark(String queue) {
    Objects.requireNonNull(queue, "queue");
    return store.locked(
        () -> {
          QueueState q = store.existing(queue);
          return new DeadLetterMark(queue, q == null ? 0 : q.deadSeq());
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>Holds the broker's lock throughout.
   *
   * @throws dev.dq.core.port.BrokerClosedException the broker is closed; nothing was moved
   */
  @Override
  public int requeueAll(String queue, DeadLetterFilter filter, DeadLetterMark mark) {
    Objects.requireNonNull(filter, "filter");
    return store.locked(
        () -> {
          List<DeadLetter> entries = marked(queue, filter, mark);
          if (entries.isEmpty()) {
            return 0;
          }
          store.ensureOpen();
          QueueState q = store.existing(queue);
          int moved = 0;
          for (DeadLetter entry : entries) {
            if (q.waiting() >= store.capacity) {
              break;
            }
            revive(q, entry);
            moved++;
          }
          return moved;
        });
  }

  /** {@inheritDoc} Holds the broker's lock throughout. */
  @Override
  public long purge(String queue, DeadLetterFilter filter, DeadLetterMark mark) {
    Objects.requireNonNull(filter, "filter");
    return store.locked(
        () -> {
          List<DeadLetter> entries = marked(queue, filter, mark);
          QueueState q = store.existing(queue);
          for (DeadLetter entry : entries) {
            q.unbury(entry.task().id());
            q.unique.release(entry.task().id(), store.clock.instant());
          }
          return (long) entries.size();
        });
  }

  /**
   * The entries of {@code queue} at or below {@code mark} that match {@code filter}, oldest first.
   * Called with the lock held.
   */
  private List<DeadLetter> marked(String queue, DeadLetterFilter filter, DeadLetterMark mark) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(mark, "mark");
    QueueState q = store.existing(queue);
    mark.check(queue, q == null ? 0 : q.deadSeq());
    if (q == null) {
      return List.of();
    }
    List<DeadLetter> out = new ArrayList<>();
    for (TaskId id : q.deadBetween(0, mark.sequence()).values()) {
      DeadLetter entry = q.dead(id);
      if (filter.matches(entry)) {
        out.add(entry);
      }
    }
    return out;
  }

  @Override
  public Optional<DeadLetter> get(String queue, TaskId id) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(id, "id");
    return store.locked(
        () -> {
          QueueState q = store.existing(queue);
          return Optional.ofNullable(q == null ? null : q.dead(id));
        });
  }

  /**
   * {@inheritDoc}
   *
   * @throws dev.dq.core.port.BrokerClosedException the broker is closed; the entry stays dead
   */
  @Override
  public void requeue(String queue, TaskId id) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(id, "id");
    store.locked(
        () -> {
          QueueState q = store.existing(queue);
          DeadLetter entry = q == null ? null : q.dead(id);
          if (entry == null) {
            throw new TaskNotFoundException(
                "task " + id + ": not in the dead letters of queue " + queue);
          }
          store.ensureOpen();
          if (q.waiting() >= store.capacity) {
            throw new QueueFullException(
                "queue "
                    + queue
                    + ": no room to requeue task "
                    + id
                    + " (capacity "
                    + store.capacity
                    + ")");
          }
          revive(q, entry);
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>The whole call holds the broker's lock, so its snapshot is exact: no task can die while it
   * runs.
   *
   * @throws dev.dq.core.port.BrokerClosedException the broker is closed; nothing was moved
   */
  @Override
  public int requeueAll(String queue) {
    Objects.requireNonNull(queue, "queue");
    return store.locked(
        () -> {
          QueueState q = store.existing(queue);
          if (q == null) {
            return 0;
          }
          store.ensureOpen();
          int moved = 0;
          DeadLetter oldest;
          while (q.waiting() < store.capacity && (oldest = q.oldestDead()) != null) {
            revive(q, oldest);
            moved++;
          }
          return moved;
        });
  }

  /**
   * Back to the tail of ready as a fresh task: attempt 1, so it gets its full retry budget again.
   */
  private void revive(QueueState q, DeadLetter entry) {
    q.resurrect(entry.task().id());
    q.pushBack(entry.task().withAttempt(1));
    q.notEmpty.signal();
  }

  @Override
  public boolean delete(String queue, TaskId id) {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(id, "id");
    return store.locked(
        () -> {
          QueueState q = store.existing(queue);
          if (q == null || !q.unbury(id)) {
            return false;
          }
          q.unique.release(id, store.clock.instant());
          return true;
        });
  }

  /** {@inheritDoc} Holds the broker's lock throughout, like {@link #requeueAll}. */
  @Override
  public long purge(String queue) {
    Objects.requireNonNull(queue, "queue");
    return store.locked(
        () -> {
          QueueState q = store.existing(queue);
          if (q == null) {
            return 0;
          }
          List<TaskId> ids = q.deadIds();
          int purged = q.purgeDead();
          ids.forEach(id -> q.unique.release(id, store.clock.instant()));
          return purged;
        });
  }

  @Override
  public long size(String queue) {
    Objects.requireNonNull(queue, "queue");
    return store.locked(
        () -> {
          QueueState q = store.existing(queue);
          return q == null ? 0 : q.deadCount();
        });
  }
}
