package dev.dq.core.lifecycle;

import dev.dq.core.port.Failure;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the broker knows of one task, as {@link TaskLookup#find} reports it.
 *
 * @param id the task's id
 * @param queue its queue
 * @param state where it is now
 * @param type its type
 * @param attempt the attempt running ({@code ACTIVE}), next ({@code READY}, {@code DELAYED}, {@code
 *     RETRYING}), or last made ({@code DEAD}, {@code SUCCEEDED}, {@code CANCELLED}; 0 for a task
 *     cancelled before it ever ran)
 * @param priority its level, 0..9
 * @param createdAt when its producer built it
 * @param headers its headers while the broker holds it; empty once finished (records keep none)
 * @param payload its payload while the broker holds it; empty once finished
 * @param startedAt when its current or last attempt started (broker's clock), if one did
 * @param finishedAt when it succeeded, was cancelled or died (broker's clock)
 * @param lastError the failure of its last failed attempt ({@code RETRYING}, {@code DEAD}), if any
 * @param worker who runs it ({@code ACTIVE}) or ran its last attempt, for instance {@code
 *     host:pid/worker-3}, if known
 * @param result what its handler returned ({@code SUCCEEDED}), if it returned something
 */
public record TaskInfo(
    TaskId id,
    String queue,
    TaskState state,
    String type,
    int attempt,
    int priority,
    Instant createdAt,
    Map<String, String> headers,
    Optional<Payload> payload,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Optional<Failure> lastError,
    Optional<String> worker,
    Optional<Payload> result) {

  /**
   * Checks that every component is present and copies the headers.
   *
   * @param id the task's id
   * @param queue its queue
   * @param state where it is now
   * @param type its type
   * @param attempt the attempt running ({@code ACTIVE}), next ({@code READY}, {@code DELAYED},
   *     {@code RETRYING}), or last made ({@code DEAD}, {@code SUCCEEDED}, {@code CANCELLED}; 0 for
   *     a task cancelled before it ever ran)
   * @param priority its level, 0..9
   * @param createdAt when its producer built it
   * @param headers its headers while the broker holds it; empty once finished (records keep none)
   * @param payload its payload while the broker holds it; empty once finished
   * @param startedAt when its current or last attempt started (broker's clock), if one did
   * @param finishedAt when it succeeded, was cancelled or died (broker's clock)
   * @param lastError the failure of its last failed attempt ({@code RETRYING}, {@code DEAD}), if
   *     any
   * @param worker who runs it ({@code ACTIVE}) or ran its last attempt, for instance {@code
   *     host:pid/worker-3}, if known
   * @param result what its handler returned ({@code SUCCEEDED}), if it returned something
   * @throws NullPointerException a component is null (the message names it)
   */
  public TaskInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(createdAt, "createdAt");
    headers = Map.copyOf(Objects.requireNonNull(headers, "headers"));
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(lastError, "lastError");
    Objects.requireNonNull(worker, "worker");
    Objects.requireNonNull(result, "result");
  }

  /**
   * What the broker knows of a task it holds (not finished): the task's own values, headers and
   * payload, and no result.
   *
   * @param task the task as held (its attempt the current or next one)
   * @param state its state, one of those of a held task
   * @param startedAt when its current or last delivery started, if one did
   * @param finishedAt when it died ({@code DEAD}), else empty
   * @param lastError the failure of its last failed attempt, if any
   * @param worker who runs it, if known
   * @return the details
   */
  public static TaskInfo held(
      Task task,
      TaskState state,
      Optional<Instant> startedAt,
      Optional<Instant> finishedAt,
      Optional<Failure> lastError,
      Optional<String> worker) {
    return new TaskInfo(
        task.id(),
        task.queue(),
        state,
        task.type(),
        task.attempt(),
        task.priority(),
        task.createdAt(),
        task.headers(),
        Optional.of(task.payload()),
        startedAt,
        finishedAt,
        lastError,
        worker,
        Optional.empty());
  }
}
