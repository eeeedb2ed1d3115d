package dev.dq.core.port;

import dev.dq.core.task.Names;
import java.util.Objects;

/**
 * What an operator saw of a queue's dead letters: the highest death sequence present when a page
 * was read. Every death (and every {@link DeadLetterQueue#add}) gets a sequence higher than any
 * before it in its queue, so a bulk action bounded by a mark acts only on entries that were already
 * dead, with their current failure, when the mark was taken; an entry that died since, or died
 * again, is left alone.
 *
 * <p>A mark travels as {@link #token()} (through a web form, a script) and comes back with {@link
 * #parse}; the token carries its queue, so a mark cannot be used on another queue.
 *
 * @param queue the queue whose dead letters the mark bounds
 * @param sequence the highest death sequence included; 0 when none had died
 */
public record DeadLetterMark(String queue, long sequence) {
  private static final char SEPARATOR = '@';

  /**
   * Checks the values.
   *
   * @param queue the queue whose dead letters the mark bounds
   * @param sequence the highest death sequence included; 0 when none had died
   * @throws IllegalArgumentException {@code queue} is not a valid queue name, or {@code sequence}
   *     is negative
   */
  public DeadLetterMark {
    Names.check("queue", queue);
    if (sequence < 0) {
      throw new IllegalArgumentException("mark sequence must be >= 0: " + sequence);
    }
  }

  /**
   * The mark as text, {@code <sequence>@<queue>}; {@link #parse} reads it back.
   *
   * @return the token
   */
  public String token() {
    return Long.toString(sequence) + SEPARATOR + queue;
  }

  /**
   * The mark {@code token} stands for, which must be a mark of {@code queue}.
   *
   * @param token a {@link #token()}
   * @param queue the queue the caller acts on
   * @return the mark
   * @throws InvalidDeadLetterQueryException {@code token} is not a mark's token, or is the mark of
   *     another queue
   */
  public static DeadLetterMark parse(String token, String queue) {
    Objects.requireNonNull(queue, "queue");
    if (token == null) {
      throw new InvalidDeadLetterQueryException("dead-letter mark missing for queue " + queue);
    }
    int at = token.indexOf(SEPARATOR);
    DeadLetterMark mark;
    try {
      mark =
          new DeadLetterMark(
              token.substring(at + 1), Long.parseLong(token.substring(0, Math.max(at, 0))));
    } catch (RuntimeException e) {
      throw new InvalidDeadLetterQueryException("not a dead-letter mark: \"" + shown(token) + "\"");
    }
    mark.checkQueue(queue);
    return mark;
  }

  /**
   * Checks that this is a mark of {@code queue}.
   *
   * @param queue the queue the caller acts on
   * @throws InvalidDeadLetterQueryException it is the mark of another queue
   */
  public void checkQueue(String queue) {
    if (!this.queue.equals(queue)) {
      throw new InvalidDeadLetterQueryException(
          "dead-letter mark " + token() + " is of queue " + this.queue + ", not " + queue);
    }
  }

  /**
   * Checks that this is a mark of {@code queue} that its store could have handed out.
   *
   * @param queue the queue the caller acts on
   * @param highest the highest death sequence the queue's store has handed out
   * @throws InvalidDeadLetterQueryException it is the mark of another queue, or above {@code
   *     highest} (made up, or from before the queue was deleted)
   */
  public void check(String queue, long highest) {
    checkQueue(queue);
    if (sequence > highest) {
      throw new InvalidDeadLetterQueryException(
          "dead-letter mark "
              + token()
              + " is beyond the newest death of queue "
              + queue
              + " ("
              + highest
              + "): it was not handed out by this store");
    }
  }

  private static String shown(String token) {
    return token.length() <= 64 ? token : token.substring(0, 61) + "...";
  }
}
