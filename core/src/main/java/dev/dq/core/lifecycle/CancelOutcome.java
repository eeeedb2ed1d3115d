package dev.dq.core.lifecycle;

/** What {@link TaskCancels#cancel} did. */
public enum CancelOutcome {
  /** The task was waiting (ready, delayed, retrying) and is now cancelled; it will never run. */
  CANCELLED,
  /**
   * The task is running: its cancel is recorded durably and its worker interrupts the handler; the
   * attempt then ends as {@code CANCELLED} and is not retried.
   */
  REQUESTED,
  /** The task has finished (succeeded, cancelled) or is dead: nothing changed. */
  ALREADY_ENDED,
  /** The broker does not know the task: nothing changed. */
  NOT_FOUND
}
