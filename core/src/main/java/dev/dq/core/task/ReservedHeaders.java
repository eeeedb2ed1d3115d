package dev.dq.core.task;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Headers that carry per-task settings from the producer to the worker, overriding the worker
 * pool's own: {@value #MAX_ATTEMPTS} (attempts in total, the first included) and {@value
 * #TIMEOUT_MS} (time limit of one attempt, in milliseconds). Names starting with {@code dq.} are
 * dq's.
 *
 * <p>Producers check the values with {@link #check}, which rejects a malformed one. A worker that
 * receives one anyway (a producer that skipped the check) reads it with {@link #maxAttempts} or
 * {@link #timeout}: the malformed value is ignored, so the pool's own setting applies, and logged
 * once per header name and process.
 */
public final class ReservedHeaders {
  /** Attempts in total for this task, the first included: a decimal integer, at least 1. */
  public static final String MAX_ATTEMPTS = "dq.max-attempts";

  /** Time limit of one attempt of this task, in milliseconds: a decimal integer, at least 1. */
  public static final String TIMEOUT_MS = "dq.timeout-ms";

  private static final Logger log = LoggerFactory.getLogger(ReservedHeaders.class);
  private static final Map<String, Boolean> WARNED = new ConcurrentHashMap<>();

  private ReservedHeaders() {}

  /**
   * Checks the reserved headers among {@code headers}; others are not looked at.
   *
   * @param headers a task's headers
   * @throws InvalidTaskException a reserved header's value is malformed (the message names it)
   */
  public static void check(Map<String, String> headers) {
    String attempts = headers.get(MAX_ATTEMPTS);
    if (attempts != null) {
      parseMaxAttempts(attempts);
    }
    String timeout = headers.get(TIMEOUT_MS);
    if (timeout != null) {
      parseTimeout(timeout);
    }
  }

  /**
   * Parses a value of {@value #MAX_ATTEMPTS}.
   *
   * @param value the header's value
   * @return the attempts, at least 1
   * @throws InvalidTaskException {@code value} is not a decimal integer of at least 1
   */
  public static int parseMaxAttempts(String value) {
    long n = parsePositive(MAX_ATTEMPTS, value);
    if (n > Integer.MAX_VALUE) {
      throw malformed(MAX_ATTEMPTS, value);
    }
    return (int) n;
  }

  /**
   * Parses a value of {@value #TIMEOUT_MS}.
   *
   * @param value the header's value
   * @return the time limit, at least 1 ms
   * @throws InvalidTaskException {@code value} is not a decimal integer of at least 1
   */
  public static Duration parseTimeout(String value) {
    return Duration.ofMillis(parsePositive(TIMEOUT_MS, value));
  }

  /**
   * The attempts {@code task} asks for, as a worker reads them: empty if it asks for none, or if
   * its value is malformed (logged once per process).
   *
   * @param task the task
   * @return its own attempts in total, if it carries a valid value
   */
  public static Optional<Integer> maxAttempts(Task task) {
    String value = task.headers().get(MAX_ATTEMPTS);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(parseMaxAttempts(value));
    } catch (InvalidTaskException e) {
      warnOnce(task, MAX_ATTEMPTS, e);
      return Optional.empty();
    }
  }

  /**
   * The time limit {@code task} asks for, as a worker reads it: empty if it asks for none, or if
   * its value is malformed (logged once per process).
   *
   * @param task the task
   * @return its own time limit per attempt, if it carries a valid value
   */
  public static Optional<Duration> timeout(Task task) {
    String value = task.headers().get(TIMEOUT_MS);
    if (value == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(parseTimeout(value));
    } catch (InvalidTaskException e) {
      warnOnce(task, TIMEOUT_MS, e);
      return Optional.empty();
    }
  }

  /** Forgets which headers were logged, so that a test sees the first warning again. */
  static void forgetWarnings() {
    WARNED.clear();
  }

  private static long parsePositive(String header, String value) {
    if (value == null || value.isEmpty() || value.length() > 18) {
      throw malformed(header, value);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw malformed(header, value);
      }
    }
    long n = Long.parseLong(value);
    if (n < 1) {
      throw malformed(header, value);
    }
    return n;
  }

  private static InvalidTaskException malformed(String header, String value) {
    String shown = value == null ? "null" : "\"" + Names.abbreviate(value) + "\"";
    return new InvalidTaskException(
        "header " + header + " must be a whole number of at least 1: " + shown);
  }

  private static void warnOnce(Task task, String header, InvalidTaskException e) {
    if (WARNED.putIfAbsent(header, Boolean.TRUE) == null) {
      log.warn(
          "task {}: ignoring header {} ({}); the pool's own setting applies (logged once)",
          task.id(),
          header,
          e.getMessage());
    } else {
      log.debug("task {}: ignoring header {} ({})", task.id(), header, e.getMessage());
    }
  }
}
