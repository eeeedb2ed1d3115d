package dev.dq.adapter.memory;

import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.Failure;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.Condition;

/**
 * Everything one queue holds. Not thread-safe: every method must be called with the owning {@link
 * Store}'s lock held.
 *
 * <p>Each task id of the queue is in exactly one of ready, delayed, in flight or dead; {@link
 * #held} mirrors their union so that a duplicate check costs one lookup.
 */
final class QueueState {
  /** Delayed tasks leave in due order; ties keep insertion order so equal due times stay FIFO. */
  private static final Comparator<Delayed> DUE_ORDER =
      Comparator.comparing(Delayed::notBefore).thenComparingLong(Delayed::seq);

  private record Delayed(Task task, Instant notBefore, long seq) {}

  final String name;

  /** Signalled when a task becomes ready, and at close. */
  final Condition notEmpty;

  /** Signalled when a waiting slot frees, and at close. */
  final Condition notFull;

  private final ReadyLevels ready = new ReadyLevels();
  private final PriorityQueue<Delayed> delayed = new PriorityQueue<>(DUE_ORDER);
  private final Map<TaskId, InFlight> inFlight = new LinkedHashMap<>();
  private final LinkedHashMap<TaskId, DeadLetter> dead = new LinkedHashMap<>();

  /** The death sequence of each dead letter, and the dead letters by it (oldest first). */
  private final Map<TaskId, Long> deadSeqOf = new HashMap<>();

  private final TreeMap<Long, TaskId> deadBySeq = new TreeMap<>();

  /** The highest death sequence handed out; never goes down. */
  private long deadSeq;

  /** Every held task by id, as it is now (its attempt changes on retry). */
  private final Map<TaskId, Task> held = new HashMap<>();

  /** When each delayed task falls due. */
  private final Map<TaskId, Instant> delayedUntil = new HashMap<>();

  /** The failure of the last attempt of each task waiting to be retried. */
  private final Map<TaskId, Failure> lastErrors = new HashMap<>();

  /** In-flight tasks whose cancel was requested; a mark goes when the delivery ends. */
  private final Set<TaskId> cancelMarks = new HashSet<>();

  /** Succeeded and cancelled tasks, kept for lookup within the queue's retention. */
  final EndedTasks ended = new EndedTasks();

  /** The unique keys taken in this queue. */
  final UniqueKeys unique = new UniqueKeys();

  QueueState(String name, Condition notEmpty, Condition notFull) {
    this.name = name;
    this.notEmpty = notEmpty;
    this.notFull = notFull;
  }

  // --- waiting tasks (ready + delayed), which count against capacity

  int waiting() {
    return ready.size() + delayed.size();
  }

  int readyCount() {
    return ready.size();
  }

  int delayedCount() {
    return delayed.size();
  }

  boolean holds(TaskId id) {
    return held.containsKey(id);
  }

  /** The held task of this id as it is now, or null. */
  Task held(TaskId id) {
    return held.get(id);
  }

  /** When the delayed task {@code id} falls due, or null if it is not delayed. */
  Instant delayedUntil(TaskId id) {
    return delayedUntil.get(id);
  }

  /** The failure of the last attempt of a task waiting to be retried, or null. */
  Failure lastError(TaskId id) {
    return lastErrors.get(id);
  }

  /** Remembers the failure of the attempt of {@code id} that just failed, until the task ends. */
  void failed(TaskId id, Failure failure) {
    lastErrors.put(id, failure);
  }

  /** Whether {@code id} is ready, delayed or in flight, as opposed to dead or unknown. */
  boolean holdsLive(TaskId id) {
    return held.containsKey(id) && !dead.containsKey(id);
  }

  /** Takes in a task new to this queue. The caller has checked {@link #holds}. */
  void accept(Task task, Instant notBefore, Instant now, long seq) {
    ended.remove(task.id()); // a reused id: its earlier run's record is no longer what it names
    schedule(task, notBefore, now, seq);
  }

  /**
   * Puts a task this queue already holds at the tail of its level of ready, or among the delayed if
   * not due yet.
   */
  void schedule(Task task, Instant notBefore, Instant now, long seq) {
    held.put(task.id(), task);
    if (notBefore.isAfter(now)) {
      delayed.add(new Delayed(task, notBefore, seq));
      delayedUntil.put(task.id(), notBefore);
    } else {
      ready.addLast(task);
    }
  }

  /** Puts a held task at the tail of its level of ready. */
  void pushBack(Task task) {
    held.put(task.id(), task);
    ready.addLast(task);
  }

  /**
   * Puts a held task at the head of its level of ready: a released task was first in line already.
   */
  void pushFront(Task task) {
    ready.addFirst(task);
  }

  /**
   * Moves every delayed task due at {@code now} to the tail of its level of ready, in due order.
   *
   * @return how many
   */
  int promoteDue(Instant now) {
    int moved = 0;
    while (!delayed.isEmpty() && !delayed.peek().notBefore().isAfter(now)) {
      Task due = delayed.poll().task();
      delayedUntil.remove(due.id());
      ready.addLast(due);
      moved++;
    }
    return moved;
  }

  /** The head of the highest level of ready that has a task, or null. */
  Task pollReady() {
    return ready.poll();
  }

  /** The ready tasks, oldest first; its {@code remove} takes one out (limit admission). */
  java.util.Iterator<Task> readyIterator() {
    return ready.iterator();
  }

  /**
   * Takes a waiting (ready or delayed) task out, wherever it is in line: O(waiting tasks).
   *
   * @return the task, or null if {@code id} is not waiting
   */
  Task removeWaiting(TaskId id) {
    Task task = ready.remove(id);
    if (task != null) {
      return task;
    }
    for (java.util.Iterator<Delayed> it = delayed.iterator(); it.hasNext(); ) {
      Delayed d = it.next();
      if (d.task().id().equals(id)) {
        it.remove();
        delayedUntil.remove(id);
        return d.task();
      }
    }
    return null;
  }

  /** The ids of the delayed tasks, soonest due first (a sorted copy: O(delayed log delayed)). */
  List<TaskId> delayedIdsInDueOrder() {
    List<Delayed> all = new ArrayList<>(delayed);
    all.sort(DUE_ORDER);
    List<TaskId> ids = new ArrayList<>(all.size());
    all.forEach(d -> ids.add(d.task().id()));
    return ids;
  }

  /** Time from {@code now} until the next delayed task is due; {@code null} if none is delayed. */
  Duration untilNextDue(Instant now) {
    Delayed next = delayed.peek();
    return next == null ? null : Duration.between(now, next.notBefore());
  }

  // --- in flight

  void lease(InFlight delivery) {
    inFlight.put(delivery.task().id(), delivery);
  }

  InFlight inFlight(TaskId id) {
    return inFlight.get(id);
  }

  java.util.Collection<InFlight> deliveries() {
    return inFlight.values();
  }

  int inFlightCount() {
    return inFlight.size();
  }

  /** Ends a delivery; the task stays held, and the caller puts it somewhere. */
  void endLease(TaskId id) {
    inFlight.remove(id);
    cancelMarks.remove(id);
  }

  /** Ends a delivery and forgets the task: it was done. */
  void forget(TaskId id) {
    inFlight.remove(id);
    held.remove(id);
    lastErrors.remove(id);
    cancelMarks.remove(id);
  }

  /** Marks an in-flight task for cancellation: its worker learns it and ends the delivery. */
  void markCancelled(TaskId id) {
    cancelMarks.add(id);
  }

  boolean isMarked(TaskId id) {
    return !cancelMarks.isEmpty() && cancelMarks.contains(id);
  }

  /** Those of {@code ids} marked for cancellation. */
  Set<TaskId> markedAmong(java.util.Collection<TaskId> ids) {
    if (cancelMarks.isEmpty()) {
      return Set.of();
    }
    Set<TaskId> out = new HashSet<>();
    for (TaskId id : ids) {
      if (cancelMarks.contains(id)) {
        out.add(id);
      }
    }
    return out;
  }

  /** Removes and returns the deliveries expired at {@code now}, the earliest expiry first. */
  List<InFlight> removeExpired(Instant now) {
    List<InFlight> expired = new ArrayList<>();
    for (InFlight delivery : inFlight.values()) {
      if (delivery.expiredAt(now)) {
        expired.add(delivery);
      }
    }
    expired.sort(Comparator.comparing(InFlight::expiresAt).thenComparingLong(InFlight::token));
    expired.forEach(delivery -> inFlight.remove(delivery.task().id()));
    return expired;
  }

  List<TaskId> inFlightIds() {
    return List.copyOf(inFlight.keySet());
  }

  // --- dead letters, oldest first

  /** Stores a dead letter; one with the same id goes to the end, since it died again just now. */
  void bury(DeadLetter entry) {
    TaskId id = entry.task().id();
    forgetDead(id);
    dead.put(id, entry);
    deadSeq++;
    deadSeqOf.put(id, deadSeq);
    deadBySeq.put(deadSeq, id);
    held.put(id, entry.task());
    lastErrors.remove(id);
  }

  DeadLetter dead(TaskId id) {
    return dead.get(id);
  }

  /** The oldest dead letter, or null. */
  DeadLetter oldestDead() {
    return dead.isEmpty() ? null : dead.values().iterator().next();
  }

  /** Removes a dead letter and forgets its id. @return whether it was there */
  boolean unbury(TaskId id) {
    if (forgetDead(id) == null) {
      return false;
    }
    held.remove(id);
    return true;
  }

  /** Removes a dead letter but keeps the id held, because the task goes back to ready. */
  void resurrect(TaskId id) {
    forgetDead(id);
  }

  private DeadLetter forgetDead(TaskId id) {
    Long seq = deadSeqOf.remove(id);
    if (seq != null) {
      deadBySeq.remove(seq);
    }
    return dead.remove(id);
  }

  /** The highest death sequence handed out so far; 0 before the first death. */
  long deadSeq() {
    return deadSeq;
  }

  /**
   * The dead letters with a sequence above {@code after} and at most {@code upTo}, oldest first, as
   * a view.
   */
  Map<Long, TaskId> deadBetween(long after, long upTo) {
    return after >= upTo ? Map.of() : deadBySeq.subMap(after, false, upTo, true);
  }

  List<DeadLetter> deadSlice(int offset, int limit) {
    return dead.values().stream().skip(offset).limit(limit).toList();
  }

  int deadCount() {
    return dead.size();
  }

  /**
   * Removes dead letters oldest first: those beyond the newest {@code max}, then those that died
   * before {@code now - keepFor} (by their failure's time), stopping at the first younger one.
   *
   * @return the ids removed
   */
  List<TaskId> trimDead(Instant now, Duration keepFor, long max) {
    Instant cutoff = now.minus(keepFor);
    List<TaskId> removed = new ArrayList<>();
    var oldestFirst = dead.values().iterator();
    while (oldestFirst.hasNext()) {
      DeadLetter oldest = oldestFirst.next();
      if (dead.size() <= max && !oldest.failure().failedAt().isBefore(cutoff)) {
        break;
      }
      oldestFirst.remove();
      deadBySeq.remove(deadSeqOf.remove(oldest.task().id()));
      held.remove(oldest.task().id());
      removed.add(oldest.task().id());
    }
    return removed;
  }

  List<TaskId> deadIds() {
    return List.copyOf(dead.keySet());
  }

  int purgeDead() {
    int count = dead.size();
    held.keySet().removeAll(dead.keySet());
    dead.clear();
    deadSeqOf.clear();
    deadBySeq.clear();
    return count;
  }
}
