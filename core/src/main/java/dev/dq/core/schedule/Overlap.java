package dev.dq.core.schedule;

/** Whether a tick fires while the task of the schedule's previous fire is still held. */
public enum Overlap {
  /** Every tick fires, whatever became of earlier ones. */
  ALLOW,
  /**
   * A tick is skipped (recorded, not enqueued) while the task its schedule last enqueued is still
   * ready, delayed or running; a dead or finished task does not block later ticks.
   */
  SKIP;

  /**
   * The policy named {@code text}, case-insensitively.
   *
   * @param text {@code allow} or {@code skip}
   * @return the policy
   * @throws IllegalArgumentException naming {@code text} if it is neither
   */
  public static Overlap parse(String text) {
    for (Overlap o : values()) {
      if (o.name().equalsIgnoreCase(text)) {
        return o;
      }
    }
    throw new IllegalArgumentException("overlap must be allow or skip: \"" + text + "\"");
  }
}
