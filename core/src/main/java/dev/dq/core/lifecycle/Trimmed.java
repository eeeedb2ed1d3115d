package dev.dq.core.lifecycle;

/**
 * What one {@link TaskRetention#trim} removed.
 *
 * @param finished finished (succeeded, cancelled) task records removed
 * @param dead dead letters removed
 */
public record Trimmed(long finished, long dead) {
  /** Nothing removed. */
  public static final Trimmed NONE = new Trimmed(0, 0);
}
