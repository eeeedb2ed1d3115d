package dev.dq.core.limit;

import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Names;
import java.util.Objects;

/**
 * What a {@link Limit} applies to: every task of one type, or every task of one queue.
 *
 * @param scope whether {@code name} is a task type or a queue
 * @param name the type's or queue's name, 1..128 characters of {@code [A-Za-z0-9._:-]}
 */
public record LimitTarget(Scope scope, String name) implements Comparable<LimitTarget> {

  /** The kind of name a target names. */
  public enum Scope {
    /** Tasks of one type, in whatever queue they are (counted per queue, see {@link Limits}). */
    TYPE,
    /** Every task of one queue. */
    QUEUE
  }

  /**
   * Checks the name.
   *
   * @param scope type or queue
   * @param name the name
   * @throws InvalidTaskException {@code name} is not a valid type or queue name
   */
  public LimitTarget {
    Objects.requireNonNull(scope, "scope");
    Names.check(scope == Scope.TYPE ? "type" : "queue", name);
  }

  /**
   * A limit target for every task of {@code type}.
   *
   * @param type the task type
   * @return the target
   * @throws InvalidTaskException {@code type} is not a valid type name
   */
  public static LimitTarget type(String type) {
    return new LimitTarget(Scope.TYPE, type);
  }

  /**
   * A limit target for every task of {@code queue}.
   *
   * @param queue the queue
   * @return the target
   * @throws InvalidTaskException {@code queue} is not a valid queue name
   */
  public static LimitTarget queue(String queue) {
    return new LimitTarget(Scope.QUEUE, queue);
  }

  /**
   * The target as {@code type:<name>} or {@code queue:<name>}, as the CLI and brokers show it.
   *
   * @return the key
   */
  public String key() {
    return (scope == Scope.TYPE ? "type:" : "queue:") + name;
  }

  /**
   * The inverse of {@link #key()}.
   *
   * @param key {@code type:<name>} or {@code queue:<name>}
   * @return the target
   * @throws IllegalArgumentException {@code key} has neither prefix, or an invalid name
   */
  public static LimitTarget parse(String key) {
    try {
      if (key.startsWith("type:")) {
        return type(key.substring(5));
      }
      if (key.startsWith("queue:")) {
        return queue(key.substring(6));
      }
    } catch (InvalidTaskException e) {
      throw new IllegalArgumentException("bad limit target \"" + key + "\": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("limit target must be type:<name> or queue:<name>: " + key);
  }

  @Override
  public int compareTo(LimitTarget o) {
    return key().compareTo(o.key());
  }

  @Override
  public String toString() {
    return key();
  }
}
