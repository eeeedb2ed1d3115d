package dev.dq.core.schedule;

/** What one {@link Schedules#fire} or {@link Schedules#miss} call did. */
public enum FireOutcome {
  /** The tick's task was enqueued and the schedule advanced to the next tick. */
  FIRED,
  /** Refused, nothing changed: the tick is still in the future on the broker's clock. */
  EARLY,
  /**
   * Refused, nothing changed: the schedule's next tick is no longer the one asked for (another
   * scheduler advanced it, or the schedule was changed, paused or removed).
   */
  STALE,
  /**
   * The tick's task id is held already (a fire replayed after a lost write); the schedule advanced
   * and nothing was enqueued.
   */
  DUPLICATE,
  /**
   * Overlap {@link Overlap#SKIP}: the previous run is still queued or running; the schedule
   * advanced and nothing was enqueued.
   */
  SKIPPED,
  /** A late tick recorded as missed by its misfire policy; the schedule advanced. */
  MISSED,
  /**
   * Refused, nothing changed: the queue is full. The tick stays due, so a later try fires it (or
   * its misfire policy handles it once it is too late).
   */
  FULL;

  /**
   * Whether the schedule moved on to its next tick.
   *
   * @return true for {@link #FIRED}, {@link #DUPLICATE}, {@link #SKIPPED} and {@link #MISSED}
   */
  public boolean advanced() {
    return this == FIRED || this == DUPLICATE || this == SKIPPED || this == MISSED;
  }
}
