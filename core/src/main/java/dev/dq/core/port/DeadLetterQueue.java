package dev.dq.core.port;

import dev.dq.core.task.TaskId;
import java.util.List;
import java.util.Optional;

/**
 * Tasks given up on, per queue, oldest first, kept until an operator requeues or deletes them.
 *
 * <p>Implementations are thread-safe. Every method is a single atomic step: a requeue either moves the entry back to
 * its queue or leaves it where it was.
 */
public interface DeadLetterQueue {

  /**
   * Adds an entry directly (for instance a task that could not even be decoded). Adding an id already present
   * replaces that entry.
   */
  void add(DeadLetter entry);

  /** Up to {@code limit} entries of {@code queue} from {@code offset}, oldest first. */
  List<DeadLetter> list(String queue, int offset, int limit);

  Optional<DeadLetter> get(String queue, TaskId id);

  /**
   * Moves one entry back to its queue as a fresh task (attempt 1), ready now.
   *
   * @throws TaskNotFoundException no such entry
   * @throws QueueFullException the queue has no room; the entry stays dead
   */
  void requeue(String queue, TaskId id);

  /**
   * Moves entries back, oldest first, while the queue has room.
   *
   * @return how many were moved
   */
  int requeueAll(String queue);

  /** @return whether an entry was deleted */
  boolean delete(String queue, TaskId id);

  /** Deletes every entry of {@code queue}. @return how many */
  long purge(String queue);

  long size(String queue);
}
