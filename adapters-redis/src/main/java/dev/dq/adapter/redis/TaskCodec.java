package dev.dq.adapter.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dq.core.port.Failure;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.task.TaskLimits;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The wire format of a task (version 1), documented in {@code docs/redis-data-model.md}:
 *
 * <pre>
 * {"v":1,"id":"..","queue":"..","type":"..","payload_b64":"..","headers":{"k":"v"},"created_at_ms":0,"attempt":1}
 * </pre>
 *
 * <p>plus {@code "priority":N} when the task's priority is not the default {@value
 * Task#DEFAULT_PRIORITY}, so that data written before priorities existed, and producers that know
 * nothing of them, stay valid.
 *
 * <p>Decoding reads a JSON tree and picks known fields by name: no polymorphic typing, no class
 * name from Redis, no Java serialization. Unknown fields are ignored so that v1 writers may add
 * some. Anything else that is wrong throws {@link UndecodableTaskException} with a reason fit for
 * the dead-letter queue.
 */
final class TaskCodec {
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TaskLimits limits;

  TaskCodec(TaskLimits limits) {
    this.limits = limits;
  }

  String encode(Task task) {
    ObjectNode n = JSON.createObjectNode();
    n.put("v", VERSION);
    n.put("id", task.id().value());
    n.put("queue", task.queue());
    n.put("type", task.type());
    n.put("payload_b64", Base64.getEncoder().encodeToString(task.payload().bytes()));
    ObjectNode headers = n.putObject("headers");
    task.headers().forEach(headers::put);
    n.put("created_at_ms", task.createdAt().toEpochMilli());
    n.put("attempt", task.attempt());
    if (task.priority() != Task.DEFAULT_PRIORITY) {
      n.put("priority", task.priority());
    }
    return n.toString();
  }

  /**
   * @param attemptField the hash's {@code attempt}, which overrides the JSON's after retries; null
   *     if absent
   * @throws UndecodableTaskException with the reason
   */
  Task decode(String data, String id, String queue, String attemptField) {
    JsonNode n;
    try {
      n = JSON.readTree(data);
    } catch (JsonProcessingException e) {
      throw new UndecodableTaskException("not JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new UndecodableTaskException("not a JSON object");
    }
    JsonNode v = n.get("v");
    if (v == null || !v.isInt() || v.intValue() != VERSION) {
      throw new UndecodableTaskException(
          "unknown format version " + v + " (this reader knows " + VERSION + ")");
    }
    String jsonId = text(n, "id");
    if (!jsonId.equals(id)) {
      throw new UndecodableTaskException(
          "id field \"" + abbreviate(jsonId) + "\" differs from the key's id");
    }
    String jsonQueue = text(n, "queue");
    if (!jsonQueue.equals(queue)) {
      throw new UndecodableTaskException(
          "queue field \"" + abbreviate(jsonQueue) + "\" differs from the key's queue");
    }
    byte[] payload;
    try {
      payload = Base64.getDecoder().decode(text(n, "payload_b64"));
    } catch (IllegalArgumentException e) {
      throw new UndecodableTaskException("payload_b64 is not base64: " + e.getMessage());
    }
    int attempt = attemptField != null ? parseAttempt(attemptField) : intField(n, "attempt");
    try {
      Task task =
          new Task(
              new TaskId(id),
              queue,
              text(n, "type"),
              Payload.of(payload),
              headers(n),
              Instant.ofEpochMilli(longField(n, "created_at_ms")),
              attempt,
              priority(n));
      limits.check(task);
      return task;
    } catch (InvalidTaskException e) {
      throw new UndecodableTaskException(e.getMessage());
    }
  }

  String encodeFailure(Failure failure) {
    ObjectNode n = JSON.createObjectNode();
    n.put("error_type", failure.errorType());
    n.put("message", failure.message());
    n.put("attempts", failure.attempts());
    n.put("failed_at_ms", failure.failedAt().toEpochMilli());
    return n.toString();
  }

  /** Lenient: a failure record is only ever informative, so a damaged one still yields an entry. */
  Failure decodeFailure(String json) {
    try {
      JsonNode n = JSON.readTree(json == null ? "{}" : json);
      return new Failure(
          n.path("error_type").asText("unknown"),
          n.path("message").asText(""),
          n.path("attempts").asInt(0),
          Instant.ofEpochMilli(n.path("failed_at_ms").asLong(0)));
    } catch (JsonProcessingException e) {
      return new Failure("unknown", "failure record is not JSON", 0, Instant.EPOCH);
    }
  }

  private static Map<String, String> headers(JsonNode n) {
    JsonNode h = n.get("headers");
    if (h == null || h.isNull()) {
      return Map.of();
    }
    if (!h.isObject()) {
      throw new UndecodableTaskException("headers is not an object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : h.properties()) {
      if (!e.getValue().isTextual()) {
        throw new UndecodableTaskException(
            "header \"" + abbreviate(e.getKey()) + "\" is not a string");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  /** The optional {@code priority}: absent means the default. */
  private static int priority(JsonNode n) {
    JsonNode f = n.get("priority");
    if (f == null) {
      return Task.DEFAULT_PRIORITY;
    }
    if (!f.isInt()) {
      throw new UndecodableTaskException(
          "field priority is not an int: " + abbreviate(f.toString()));
    }
    return f.intValue(); // out of range: the Task constructor says so
  }

  private static String text(JsonNode n, String field) {
    JsonNode f = n.get(field);
    if (f == null || !f.isTextual()) {
      throw new UndecodableTaskException("field " + field + " is missing or not a string");
    }
    return f.textValue();
  }

  private static int intField(JsonNode n, String field) {
    JsonNode f = n.get(field);
    if (f == null || !f.isInt()) {
      throw new UndecodableTaskException("field " + field + " is missing or not an int");
    }
    return f.intValue();
  }

  private static long longField(JsonNode n, String field) {
    JsonNode f = n.get(field);
    if (f == null || !f.canConvertToLong() || !f.isIntegralNumber()) {
      throw new UndecodableTaskException("field " + field + " is missing or not an integer");
    }
    return f.longValue();
  }

  private static int parseAttempt(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new UndecodableTaskException("attempt \"" + abbreviate(s) + "\" is not an int");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }

  /** Why an entry read from Redis is not a task this reader accepts. */
  static final class UndecodableTaskException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** {@link dev.dq.core.port.Failure#errorType()} of an entry that could not be decoded. */
    static final String ERROR_TYPE = "dq.undecodable";

    UndecodableTaskException(String reason) {
      super(reason);
    }
  }
}
