package dev.dq.core.port;

import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.TaskId;
import java.util.List;
import java.util.Optional;

/**
 * Tasks given up on, per queue, oldest first, kept until an operator requeues or deletes them.
 *
 * <p>Implementations are thread-safe. Every method is a single atomic step: a requeue either moves
 * the entry back to its queue or leaves it where it was.
 */
public interface DeadLetterQueue {

  /**
   * Adds an entry directly (for instance a task that could not even be decoded). Adding an id that
   * is already dead in the entry's queue replaces that entry, which then counts as the newest.
   * Dead-lettering a live task goes through {@link Broker#deadLetter} with its lease instead.
   *
   * @param entry the entry to add
   * @throws DuplicateTaskException the entry's queue holds a live task (ready, delayed or in
   *     flight) with that id; nothing changed
   */
  void add(DeadLetter entry);

  /**
   * Up to {@code limit} entries of {@code queue} from {@code offset}, oldest first.
   *
   * <p>Every entry is listed under an id that {@link #get} and {@link #delete} accept. An adapter
   * whose store can hold an entry under an id that is not a valid {@link TaskId} (written there by
   * hand) lists it under a stand-in id that it maps back to the stored one, and says how in its
   * documentation.
   *
   * @param queue the queue whose entries to list
   * @param offset how many of the oldest entries to skip
   * @param limit most entries to return
   * @return the entries, oldest first
   */
  List<DeadLetter> list(String queue, int offset, int limit);

  /** Most entries one {@link #find} call looks at, matching or not. */
  int SCAN_LIMIT = 10_000;

  /** Most matches one {@link #find} call returns. */
  int FIND_LIMIT = 1_000;

  /** The cursor that starts a {@link #find} at the oldest entry. */
  String FIRST = "";

  /**
   * One bounded step of a filtered listing of {@code queue}: the entries after {@code cursor} that
   * match {@code filter}, oldest death first.
   *
   * <p>What is bounded: the step looks at no more than {@link #SCAN_LIMIT} entries after the cursor
   * (matching or not; entries sharing one sequence, which only a hand-written store has, are
   * scanned together and may exceed it) and returns no more than {@code limit} matches, whichever
   * comes first. So a rare filter over a million entries takes many short steps, each answering
   * fast, instead of one that reads the whole set. Continue with {@link
   * DeadLetterPage#nextCursor()} until {@link DeadLetterPage#end()}: an entry present during the
   * whole walk and matching throughout is returned exactly once. With {@link DeadLetterFilter#ALL}
   * it is a plain page.
   *
   * <p>The page carries a {@link DeadLetterMark} taken when it was read, for {@link
   * #requeueAll(String, DeadLetterFilter, DeadLetterMark)} and {@link #purge(String,
   * DeadLetterFilter, DeadLetterMark)}.
   *
   * @param queue the queue whose entries to list
   * @param filter which entries to return
   * @param cursor {@link #FIRST}, or a {@link DeadLetterPage#nextCursor()} of this queue
   * @param limit most matches to return, 1 .. {@link #FIND_LIMIT}
   * @return the page
   * @throws InvalidDeadLetterQueryException {@code cursor} is not one this adapter hands out
   * @throws IllegalArgumentException {@code limit} is out of range
   */
  DeadLetterPage find(String queue, DeadLetterFilter filter, String cursor, int limit);

  /**
   * The mark of {@code queue} now: the highest death sequence handed out so far. Reads only.
   *
   * @param queue the queue
   * @return the mark; sequence 0 for a queue that never had a dead letter
   */
  DeadLetterMark mark(String queue);

  /**
   * Moves the entries of {@code queue} that match {@code filter} and were dead at {@code mark}
   * (their death sequence is at or below it) back to their queue as fresh tasks, oldest first, each
   * at most once, while the queue has room. An entry that died after the mark, or died again, stays
   * dead; so does one that does not match. Not atomic as a whole: each entry's move is. Entries
   * that {@link #requeue} would refuse as invalid stay dead and are not counted.
   *
   * @param queue the queue whose entries to move
   * @param filter which entries to move
   * @param mark a mark of {@code queue}, from {@link #mark} or a {@link DeadLetterPage}
   * @return how many were moved
   * @throws InvalidDeadLetterQueryException the mark is of another queue, or higher than any this
   *     queue handed out; nothing was moved
   */
  int requeueAll(String queue, DeadLetterFilter filter, DeadLetterMark mark);

  /**
   * Deletes the entries of {@code queue} that match {@code filter} and were dead at {@code mark},
   * like {@link #requeueAll(String, DeadLetterFilter, DeadLetterMark)}.
   *
   * @param queue the queue whose entries to delete
   * @param filter which entries to delete
   * @param mark a mark of {@code queue}
   * @return how many were deleted
   * @throws InvalidDeadLetterQueryException the mark is of another queue, or higher than any this
   *     queue handed out; nothing was deleted
   */
  long purge(String queue, DeadLetterFilter filter, DeadLetterMark mark);

  /**
   * The entry listed as {@code id} in {@code queue}, if it is still dead; empty for an id that is
   * live, unknown, or dead in another queue. Reads only.
   *
   * @param queue the queue
   * @param id the id the entry is listed as
   * @return the entry, or empty
   */
  Optional<DeadLetter> get(String queue, TaskId id);

  /**
   * Moves one entry back to its queue as a fresh task (attempt 1), ready now.
   *
   * @param queue the queue
   * @param id the id the entry is listed as
   * @throws TaskNotFoundException no such entry
   * @throws QueueFullException the queue has no room; the entry stays dead
   * @throws InvalidTaskException the entry can never run as a task (it is stored under an id that
   *     is not a valid task id); the entry stays dead, and the message says why
   */
  void requeue(String queue, TaskId id);

  /**
   * Moves the entries that were dead when the call started back to their queue as fresh tasks,
   * oldest first, each at most once, while the queue has room.
   *
   * <p>The call acts on a snapshot: an entry that dies again while it runs (a worker failed a task
   * it just moved) or that arrives after it started is left for a later call. So the call ends
   * however fast workers send tasks back, and a bulk action acts on what its caller saw. An
   * implementation that works in steps may take the snapshot as the highest death sequence present
   * at the start and move only entries at or below it: a new death gets a higher one. The call as a
   * whole is not atomic; each entry's move is. Entries that {@link #requeue} would refuse as
   * invalid stay dead and are not counted.
   *
   * @param queue the queue whose entries to move
   * @return how many were moved, each counted once
   */
  int requeueAll(String queue);

  /**
   * Deletes one entry.
   *
   * @param queue the queue
   * @param id the id the entry is listed as
   * @return whether an entry was deleted
   */
  boolean delete(String queue, TaskId id);

  /**
   * Deletes the entries of {@code queue} that were dead when the call started, on the same snapshot
   * as {@link #requeueAll}: an entry that dies while it runs is kept, so the call ends however fast
   * tasks die, and nothing an operator has not seen yet is deleted.
   *
   * @param queue the queue whose entries to delete
   * @return how many were deleted
   */
  long purge(String queue);

  /**
   * How many entries of {@code queue} are dead now; 0 for a queue never used. Reads only.
   *
   * @param queue the queue
   * @return the number of entries
   */
  long size(String queue);
}
