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
   * Moves the entries that were dead when the call started back to their queue as fresh tasks, oldest first, each at
   * most once, while the queue has room.
   *
   * <p>The call acts on a snapshot: an entry that dies again while it runs (a worker failed a task it just moved) or
   * that arrives after it started is left for a later call. So the call ends however fast workers send tasks back,
   * and a bulk action acts on what its caller saw. An implementation that works in steps may take the snapshot as the
   * highest death sequence present at the start and move only entries at or below it: a new death gets a higher one.
   * The call as a whole is not atomic; each entry's move is.
   *
   * @return how many were moved, each counted once
   */
  int requeueAll(String queue);

  /** @return whether an entry was deleted */
  boolean delete(String queue, TaskId id);

  /**
   * Deletes the entries of {@code queue} that were dead when the call started, on the same snapshot as {@link
   * #requeueAll}: an entry that dies while it runs is kept, so the call ends however fast tasks die, and nothing an
   * operator has not seen yet is deleted.
   *
   * @return how many were deleted
   */
  long purge(String queue);

  long size(String queue);
}
