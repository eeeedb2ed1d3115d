package dev.dq.adapter.memory;

import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.Failure;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Describes the tasks of a {@link QueueState} by id, for {@link InMemoryBroker#find}: from its
 * maps, never by scanning a queue. Called with the store's lock held.
 */
final class TaskInfos {
  /** Who runs every delivery of this broker: this process, {@code host:pid}. */
  static final String WORKER = processIdentity();

  private TaskInfos() {}

  /** What {@code q} knows of {@code id}: a held task, a finished one's record, or empty. */
  static Optional<TaskInfo> find(QueueState q, TaskId id) {
    Task task = q.held(id);
    if (task == null) {
      return q.ended.get(id);
    }
    InFlight delivery = q.inFlight(id);
    if (delivery != null) {
      return Optional.of(
          held(delivery.task(), TaskState.ACTIVE)
              .startedAt(delivery.leasedAt())
              .worker(WORKER)
              .build());
    }
    DeadLetter dead = q.dead(id);
    if (dead != null) {
      return Optional.of(
          held(dead.task(), TaskState.DEAD)
              .finishedAt(dead.failure().failedAt())
              .lastError(dead.failure())
              .build());
    }
    Failure lastError = q.lastError(id);
    TaskState state;
    if (lastError != null || task.attempt() > 1) {
      state = TaskState.RETRYING;
    } else if (q.delayedUntil(id) != null) {
      state = TaskState.DELAYED;
    } else {
      state = TaskState.READY;
    }
    Info info = held(task, state);
    if (lastError != null) {
      info.lastError(lastError);
    }
    return Optional.of(info.build());
  }

  /** The record of a delivery that succeeded at {@code now}. */
  static TaskInfo succeeded(InFlight delivery, Instant now, Optional<Payload> result) {
    Task task = delivery.task();
    return new TaskInfo(
        task.id(),
        task.queue(),
        TaskState.SUCCEEDED,
        task.type(),
        task.attempt(),
        task.priority(),
        task.createdAt(),
        Map.of(),
        Optional.empty(),
        Optional.of(delivery.leasedAt()),
        Optional.of(now),
        Optional.empty(),
        Optional.of(WORKER),
        result);
  }

  private static Info held(Task task, TaskState state) {
    return new Info(task, state);
  }

  /** A held task's details, the optional ones set as they apply. */
  private static final class Info {
    private final Task task;
    private final TaskState state;
    private Optional<Instant> startedAt = Optional.empty();
    private Optional<Instant> finishedAt = Optional.empty();
    private Optional<Failure> lastError = Optional.empty();
    private Optional<String> worker = Optional.empty();

    Info(Task task, TaskState state) {
      this.task = task;
      this.state = state;
    }

    Info startedAt(Instant at) {
      startedAt = Optional.of(at);
      return this;
    }

    Info finishedAt(Instant at) {
      finishedAt = Optional.of(at);
      return this;
    }

    Info lastError(Failure failure) {
      lastError = Optional.of(failure);
      return this;
    }

    Info worker(String name) {
      worker = Optional.of(name);
      return this;
    }

    TaskInfo build() {
      return TaskInfo.held(task, state, startedAt, finishedAt, lastError, worker);
    }
  }

  /** {@code host:pid}; the host from the environment, so no name lookup can stall a start. */
  private static String processIdentity() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      host = "localhost";
    }
    return host + ":" + ProcessHandle.current().pid();
  }
}
