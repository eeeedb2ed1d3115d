package dev.dq.core.lifecycle;

/** What {@link TaskControls#runNow} did. */
public enum RunNowOutcome {
  /** The task was delayed or retrying and is ready now; its attempt count is unchanged. */
  MADE_READY,
  /**
   * The task was ready already (or held back by a limit, which still governs it): nothing changed.
   */
  ALREADY_READY,
  /** The task is running: nothing changed. */
  RUNNING,
  /** The task has finished (succeeded, cancelled): nothing changed. */
  FINISHED,
  /**
   * The task is dead: nothing changed; {@link dev.dq.core.port.DeadLetterQueue#requeue} runs it
   * again.
   */
  DEAD,
  /** The broker does not know the task: nothing changed. */
  NOT_FOUND
}
