package dev.dq.core.task;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Size limits a task must respect. Brokers check them on enqueue so that one oversized task cannot
 * exhaust memory; the builder checks them so that a producer learns early. Brokers check {@code
 * maxResultBytes} when a handler's result is stored (see {@link
 * dev.dq.core.lifecycle.TaskLookup#complete}); it is lower than the payload limit by default since
 * a finished task's result is kept for as long as its record (up to the queue's retention), while a
 * payload leaves with its task.
 *
 * @param maxPayloadBytes largest payload in bytes (default 1 MiB)
 * @param maxHeaders most headers on one task (default 32)
 * @param maxHeaderBytes largest header key or value, UTF-8 bytes (default 1 KiB)
 * @param maxResultBytes largest result a finished task keeps, in bytes (default 64 KiB)
 */
public record TaskLimits(
    int maxPayloadBytes, int maxHeaders, int maxHeaderBytes, int maxResultBytes) {
  /** The default result limit: 64 KiB. */
  public static final int DEFAULT_MAX_RESULT_BYTES = 64 << 10;

  /** The defaults: 1 MiB of payload, 32 headers of at most 1 KiB each, results of 64 KiB. */
  public static final TaskLimits DEFAULT =
      new TaskLimits(1 << 20, 32, 1024, DEFAULT_MAX_RESULT_BYTES);

  /**
   * Checks the limits.
   *
   * @param maxPayloadBytes largest payload in bytes, at least 0
   * @param maxHeaders most headers on one task, at least 0
   * @param maxHeaderBytes largest header key or value in UTF-8 bytes, at least 1
   * @param maxResultBytes largest result in bytes, at least 0
   * @throws IllegalArgumentException if a limit is below its minimum
   */
  public TaskLimits {
    if (maxResultBytes < 0) {
      throw new IllegalArgumentException("maxResultBytes must be >= 0: " + maxResultBytes);
    }
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

  /**
   * Limits with the default result limit ({@link #DEFAULT_MAX_RESULT_BYTES}).
   *
   * @param maxPayloadBytes largest payload in bytes, at least 0
   * @param maxHeaders most headers on one task, at least 0
   * @param maxHeaderBytes largest header key or value in UTF-8 bytes, at least 1
   * @throws IllegalArgumentException if a limit is below its minimum
   */
  public TaskLimits(int maxPayloadBytes, int maxHeaders, int maxHeaderBytes) {
    this(maxPayloadBytes, maxHeaders, maxHeaderBytes, DEFAULT_MAX_RESULT_BYTES);
  }

  /**
   * These limits with another payload limit.
   *
   * @param bytes largest payload in bytes
   * @return the new limits
   */
  public TaskLimits withMaxPayloadBytes(int bytes) {
    return new TaskLimits(bytes, maxHeaders, maxHeaderBytes, maxResultBytes);
  }

  /**
   * These limits with another result limit.
   *
   * @param bytes largest result in bytes
   * @return the new limits
   */
  public TaskLimits withMaxResultBytes(int bytes) {
    return new TaskLimits(maxPayloadBytes, maxHeaders, maxHeaderBytes, bytes);
  }

  /**
   * Throws {@link InvalidTaskException} if {@code result} is larger than {@link #maxResultBytes}.
   *
   * @param id the task whose result it is
   * @param result the result's size in bytes
   */
  public void checkResult(TaskId id, int result) {
    if (result > maxResultBytes) {
      throw new InvalidTaskException(
          "task "
              + id
              + ": result of "
              + result
              + " bytes exceeds the result limit of "
              + maxResultBytes
              + " bytes");
    }
  }

  /**
   * Throws {@link InvalidTaskException} naming the task and the first limit it breaks.
   *
   * @param task the task to check
   */
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
