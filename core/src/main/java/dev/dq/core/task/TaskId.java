package dev.dq.core.task;

import java.util.UUID;

/** A task's identity: unique, opaque, 1..128 characters of {@code [A-Za-z0-9._:-]}. */
public record TaskId(String value) {
  public TaskId {
    Names.check("task id", value);
  }

  /** A new random id (a UUID); ids need no coordination between producers. */
  public static TaskId random() {
    return new TaskId(UUID.randomUUID().toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
