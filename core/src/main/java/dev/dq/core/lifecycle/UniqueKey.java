package dev.dq.core.lifecycle;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A unique key for {@link UniqueTasks#enqueueUnique}: while it is taken, enqueueing another task
 * with the same key in the same queue enqueues nothing and answers the id of the task that holds
 * it.
 *
 * @param key 1..256 characters, any text (for instance {@code invoice:42})
 * @param window how long at least the key stays taken from the enqueue, on the broker's clock, even
 *     if the task ends sooner (it stays taken while the task waits or runs); empty: until the task
 *     that took it ends (succeeds, is cancelled or dies)
 */
public record UniqueKey(String key, Optional<Duration> window) {
  /** Longest key, in characters. */
  public static final int MAX_LENGTH = 256;

  /**
   * Checks the key and the window.
   *
   * @param key 1..256 characters, any text (for instance {@code invoice:42})
   * @param window how long at least the key stays taken from the enqueue, on the broker's clock,
   *     even if the task ends sooner (it stays taken while the task waits or runs); empty: until
   *     the task that took it ends (succeeds, is cancelled or dies)
   * @throws IllegalArgumentException the key is empty or longer than {@value #MAX_LENGTH}
   *     characters, or the window is zero or negative (the message names the value)
   */
  public UniqueKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(window, "window");
    if (key.isEmpty() || key.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "unique key must be 1.." + MAX_LENGTH + " characters: \"" + key + "\"");
    }
    if (window.isPresent() && (window.get().isZero() || window.get().isNegative())) {
      throw new IllegalArgumentException("unique window must be positive: " + window.get());
    }
  }

  /**
   * A key taken until its task ends.
   *
   * @param key the key
   * @return the unique key
   */
  public static UniqueKey untilDone(String key) {
    return new UniqueKey(key, Optional.empty());
  }

  /**
   * A key taken for {@code window} from the enqueue.
   *
   * @param key the key
   * @param window how long
   * @return the unique key
   */
  public static UniqueKey forWindow(String key, Duration window) {
    return new UniqueKey(key, Optional.of(window));
  }
}
