package dev.dq.adapter.redis;

import dev.dq.core.task.Task;
import dev.dq.core.task.TaskLimits;
import java.util.Objects;

/**
 * The JSON a task is stored as in Redis (wire format v1, the {@code data} field of {@code
 * dq:{q}:task:<id>}; see docs/redis-data-model.md), for code outside this package that reads or
 * writes it, such as the codec benchmark. It is the codec the broker itself uses. Thread-safe.
 */
public final class RedisTaskFormat {
  private final TaskCodec codec;

  /**
   * A codec that checks tasks against {@code limits}.
   *
   * @param limits the size limits a task must keep to
   */
  public RedisTaskFormat(TaskLimits limits) {
    this.codec = new TaskCodec(Objects.requireNonNull(limits, "limits"));
  }

  /**
   * The task as stored; its id, queue and attempt are stored in the JSON too.
   *
   * @param task the task to encode
   * @return its JSON
   */
  public String encode(Task task) {
    return codec.encode(task);
  }

  /**
   * The task stored as {@code data} under {@code id} in {@code queue}, with the attempt the JSON
   * holds.
   *
   * @param data the JSON stored as {@code data}
   * @param id the task id it is stored under
   * @param queue the queue it is stored in
   * @return the task
   * @throws IllegalArgumentException the data is not a task this reader accepts; the message says
   *     why
   */
  public Task decode(String data, String id, String queue) {
    try {
      return codec.decode(data, id, queue, null);
    } catch (TaskCodec.UndecodableTaskException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
