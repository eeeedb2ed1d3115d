package dev.dq.core.task;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Size limits a task must respect. Brokers check them on enqueue so that one oversized task cannot
 * exhaust memory; the builder checks them so that a producer learns early.
 *
 * @param maxPayloadBytes largest payload in bytes (default 1 MiB)
 * @param maxHeaders most headers on one task (default 32)
 * @param maxHeaderBytes largest header key or value, UTF-8 bytes (default 1 KiB)
 */
public record TaskLimits(int maxPayloadBytes, int maxHeaders, int maxHeaderBytes) {
  public static final TaskLimits DEFAULT = new TaskLimits(1 << 20, 32, 1024);

  public TaskLimits {
    if (maxPayloadBytes < 0) {
      throw new IllegalArgumentException("maxPayloadBytes must be >= 0: " + maxPayloadBytes);
    }
    if (maxHeaders < 0) {
      throw new IllegalArgumentException("maxHeaders must be >= 0: " + maxHeaders);
    }
    if (maxHeaderBytes < 1) {
      throw new IllegalArgumentException("maxHeaderBytes must be >= 1: " + maxHeaderBytes);
    }
  }

  public TaskLimits withMaxPayloadBytes(int bytes) {
    return new TaskLimits(bytes, maxHeaders, maxHeaderBytes);
  }

  /** Throws {@link InvalidTaskException} naming the task and the first limit it breaks. */
  public void check(Task task) {
    if (task.payload().size() > maxPayloadBytes) {
      throw new InvalidTaskException(
          "task "
              + task.id()
              + ": payload of "
              + task.payload().size()
              + " bytes exceeds the limit of "
              + maxPayloadBytes
              + " bytes");
    }
    checkHeaders(task.id(), task.headers());
  }

  private void checkHeaders(TaskId id, Map<String, String> headers) {
    if (headers.size() > maxHeaders) {
      throw new InvalidTaskException(
          "task " + id + ": " + headers.size() + " headers exceed the limit of " + maxHeaders);
    }
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (utf8Length(header.getKey()) > maxHeaderBytes
          || utf8Length(header.getValue()) > maxHeaderBytes) {
        throw new InvalidTaskException(
            "task "
                + id
                + ": header \""
                + Names.abbreviate(header.getKey())
                + "\" exceeds "
                + maxHeaderBytes
                + " bytes");
      }
    }
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
