package dev.dq.core.task;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** A task's identity: unique, opaque, 1..128 characters of {@code [A-Za-z0-9._:-]}. */
public record TaskId(String value) {
  /**
   * Ids are a per-process random 64-bit prefix plus a counter: unique within a process by
   * construction, and across processes unless two of them draw the same prefix (odds of 2^-64 per
   * pair). {@link UUID#randomUUID()} would cost a shared {@link SecureRandom} draw per task, the
   * most expensive step of building a task.
   */
  private static final long PREFIX = new SecureRandom().nextLong();

  private static final AtomicLong COUNTER = new AtomicLong(new SecureRandom().nextLong());

  /**
   * Checks the id.
   *
   * @param value the id's text
   * @throws InvalidTaskException if {@code value} is null or not a valid name
   */
  public TaskId {
    Names.check("task id", value);
  }

  /**
   * A new id, in the textual form of a UUID, without coordination between producers.
   *
   * @return the id
   */
  public static TaskId random() {
    return new TaskId(new UUID(PREFIX, COUNTER.getAndIncrement()).toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
