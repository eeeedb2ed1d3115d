package dev.dq.core.ops;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a label's values to a bounded set, so that no producer can blow up the number of time
 * series: the known values (registered task types, served queues) pass, the first {@code cap}
 * unknown ones pass too, and every later unknown value becomes {@value #OTHER}. Thread-safe.
 *
 * <p>Shared by the metrics of {@code dq run} and of the Micrometer binder, so that both label
 * alike.
 */
public final class BoundedLabels {
  /** The label of every unknown value past the cap. */
  public static final String OTHER = "other";

  private final Set<String> known;
  private final int cap;
  private final Set<String> admitted = ConcurrentHashMap.newKeySet();

  /**
   * Bounds a label.
   *
   * @param known values that always pass
   * @param cap how many unknown values pass, at least 0
   * @throws IllegalArgumentException {@code cap} is negative
   */
  public BoundedLabels(Set<String> known, int cap) {
    if (cap < 0) {
      throw new IllegalArgumentException("cap must be >= 0: " + cap);
    }
    this.known = Set.copyOf(known);
    this.cap = cap;
  }

  /**
   * {@code value} itself if known or admitted (admitting it while there is room), else {@value
   * #OTHER}.
   *
   * @param value the value to label
   * @return the label
   */
  public String label(String value) {
    if (known.contains(value) || admitted.contains(value)) {
      return value;
    }
    synchronized (admitted) {
      // Another thread may have admitted it, and filled the last place, since the check above.
      if (admitted.contains(value) || admitted.size() < cap) {
        admitted.add(value);
        return value;
      }
    }
    return OTHER;
  }
}
