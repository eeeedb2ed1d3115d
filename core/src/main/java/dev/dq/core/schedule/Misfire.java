package dev.dq.core.schedule;

/**
 * What a scheduler does with ticks it finds later than the grace allows (after every scheduler was
 * down, or the schedule's queue was full for long).
 */
public enum Misfire {
  /** Records the late ticks as missed and goes on with the next tick still in the future. */
  SKIP,
  /** Fires the latest late tick once, records the older ones as missed. */
  ONCE,
  /** Fires every late tick, oldest first, at most {@link Schedules#MAX_CATCH_UP} of them. */
  ALL;

  /**
   * The policy named {@code text}, case-insensitively.
   *
   * @param text {@code skip}, {@code once} or {@code all}
   * @return the policy
   * @throws IllegalArgumentException naming {@code text} if it is none of them
   */
  public static Misfire parse(String text) {
    for (Misfire m : values()) {
      if (m.name().equalsIgnoreCase(text)) {
        return m;
      }
    }
    throw new IllegalArgumentException("misfire must be skip, once or all: \"" + text + "\"");
  }
}
