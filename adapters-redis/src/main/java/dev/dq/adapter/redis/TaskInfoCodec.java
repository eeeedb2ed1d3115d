package dev.dq.adapter.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.port.Failure;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the reply of {@code lookup.lua} into {@link TaskInfo}s: a held task's state from the sets
 * it is in, a finished one's from its record (JSON in {@code records}, see {@link
 * RedisKeys#records}).
 */
final class TaskInfoCodec {
  /** This process's identity, {@code host:pid}, which claims keep in {@code started}. */
  static final String WORKER = processIdentity();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LISTS = 9;

  private final TaskCodec tasks;

  TaskInfoCodec(TaskCodec tasks) {
    this.tasks = tasks;
  }

  /**
   * The {@code i}-th id's answer in a lookup reply.
   *
   * @param reply the nine lists of lookup.lua
   * @return its state and details, or empty if the queue does not know it
   */
  Optional<TaskInfo> decode(String queue, TaskId id, List<?> reply, int i) {
    String data = string(reply, 0, i);
    if (data != null) {
      return Optional.of(held(queue, id, data, reply, i));
    }
    String record = string(reply, 4, i);
    return record == null ? Optional.empty() : Optional.of(finished(queue, id, record));
  }

  static int lists() {
    return LISTS;
  }

  private TaskInfo held(String queue, TaskId id, String data, List<?> reply, int i) {
    Task task;
    try {
      task = tasks.decode(data, id.value(), queue, string(reply, 1, i));
    } catch (RuntimeException undecodable) {
      // kept in tasks, dead-lettered by the claim that read it; its type and payload are unknown
      Failure failure = failure(string(reply, 8, i));
      return new TaskInfo(
          id,
          queue,
          TaskState.DEAD,
          "",
          failure.attempts(),
          Task.DEFAULT_PRIORITY,
          Instant.EPOCH,
          Map.of(),
          Optional.empty(),
          Optional.empty(),
          Optional.of(failure.failedAt()),
          Optional.of(failure),
          Optional.empty(),
          Optional.empty());
    }
    Optional<Instant> startedAt = Optional.empty();
    Optional<String> worker = Optional.empty();
    Optional<Instant> finishedAt = Optional.empty();
    Optional<Failure> lastError = Optional.empty();
    TaskState state;
    if (reply(reply, 5, i) != null) {
      state = TaskState.ACTIVE;
      String started = string(reply, 2, i);
      int bar = started == null ? -1 : started.indexOf('|');
      if (bar > 0) {
        startedAt = Optional.of(Instant.ofEpochMilli(Long.parseLong(started.substring(0, bar))));
        String who = started.substring(bar + 1);
        worker = who.isEmpty() ? Optional.empty() : Optional.of(who);
      }
    } else if (reply(reply, 7, i) != null) {
      state = TaskState.DEAD;
      Failure failure = failure(string(reply, 8, i));
      lastError = Optional.of(failure);
      finishedAt = Optional.of(failure.failedAt());
    } else {
      String error = string(reply, 3, i);
      lastError = error == null ? Optional.empty() : Optional.of(failure(error));
      if (error != null || task.attempt() > 1) {
        state = TaskState.RETRYING;
      } else if (reply(reply, 6, i) != null) {
        state = TaskState.DELAYED;
      } else {
        state = TaskState.READY;
      }
    }
    return TaskInfo.held(task, state, startedAt, finishedAt, lastError, worker);
  }

  /** A finished task from its record; lenient, since a record is only ever informative. */
  static TaskInfo finished(String queue, TaskId id, String record) {
    JsonNode n;
    try {
      n = JSON.readTree(record);
    } catch (JsonProcessingException e) {
      n = JSON.createObjectNode();
    }
    TaskState state =
        "cancelled".equals(n.path("state").asText()) ? TaskState.CANCELLED : TaskState.SUCCEEDED;
    return new TaskInfo(
        id,
        queue,
        state,
        n.path("type").asText(""),
        n.path("attempt").asInt(state == TaskState.CANCELLED ? 0 : 1),
        n.path("priority").asInt(Task.DEFAULT_PRIORITY),
        Instant.ofEpochMilli(n.path("created_at_ms").asLong(0)),
        Map.of(),
        Optional.empty(),
        millis(n, "started_at_ms"),
        millis(n, "finished_at_ms"),
        Optional.empty(),
        n.hasNonNull("worker") ? Optional.of(n.get("worker").asText()) : Optional.empty(),
        n.hasNonNull("result_b64")
            ? Optional.of(Payload.of(Base64.getDecoder().decode(n.get("result_b64").asText())))
            : Optional.empty());
  }

  private Failure failure(String json) {
    return tasks.decodeFailure(json);
  }

  private static Optional<Instant> millis(JsonNode n, String field) {
    return n.hasNonNull(field)
        ? Optional.of(Instant.ofEpochMilli(n.get(field).asLong()))
        : Optional.empty();
  }

  private static Object reply(List<?> reply, int list, int i) {
    return ((List<?>) reply.get(list)).get(i);
  }

  private static String string(List<?> reply, int list, int i) {
    Object v = reply(reply, list, i);
    if (v == null) {
      return null;
    }
    return v instanceof byte[] b
        ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
        : v.toString();
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
