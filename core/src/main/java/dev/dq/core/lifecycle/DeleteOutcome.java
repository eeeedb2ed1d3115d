package dev.dq.core.lifecycle;

/** What {@link TaskControls#delete} did. */
public enum DeleteOutcome {
  /** The task was waiting and is gone, as if never enqueued; its unique key is free. */
  DELETED,
  /** The task had finished (succeeded, cancelled); its record is gone from history. */
  RECORD_DELETED,
  /** The task is running: nothing changed; cancel it instead ({@link TaskCancels#cancel}). */
  RUNNING,
  /**
   * The task is dead: nothing changed; dead letters are deleted through {@link
   * dev.dq.core.port.DeadLetterQueue#delete}.
   */
  DEAD,
  /** The broker does not know the task: nothing changed. */
  NOT_FOUND
}
