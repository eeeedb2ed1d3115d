package dev.dq.core.schedule;

/** What {@link Schedules#upsert} did. */
public enum UpsertOutcome {
  /** There was no schedule of that name: stored, next tick set. */
  CREATED,
  /** A different spec was stored: replaced, next tick set anew. */
  UPDATED,
  /** The same spec was stored already: nothing changed, next tick untouched. */
  UNCHANGED
}
