package dev.dq.core.lifecycle;

/** Where a task is in its life, as {@link TaskLookup#find} reports it. */
public enum TaskState {
  /** Waiting in a ready list (or held back by a limit) for a worker. */
  READY,
  /** Waiting for its not-before time; it has not failed yet (attempt 1). */
  DELAYED,
  /** Leased to a worker, which runs it now. */
  ACTIVE,
  /** Waiting for its next attempt after a failure (or a requeue of a later attempt). */
  RETRYING,
  /** In the dead-letter queue. */
  DEAD,
  /** Its handler succeeded; kept for lookup within the queue's retention. */
  SUCCEEDED,
  /** Cancelled before or while it ran; kept for lookup within the queue's retention. */
  CANCELLED;

  /**
   * Whether the task will not run again by itself: succeeded, cancelled or dead (a dead task runs
   * again only if an operator requeues it). {@link TaskLookup#await} returns at these states.
   *
   * @return true for {@link #SUCCEEDED}, {@link #CANCELLED} and {@link #DEAD}
   */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == CANCELLED || this == DEAD;
  }

  /**
   * Whether the task has finished and is kept only as a record (succeeded or cancelled).
   *
   * @return true for {@link #SUCCEEDED} and {@link #CANCELLED}
   */
  public boolean isFinished() {
    return this == SUCCEEDED || this == CANCELLED;
  }

  /**
   * The lower-case name used on the command line, in JSON and in Redis ({@code succeeded}, ...).
   *
   * @return the name
   */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
