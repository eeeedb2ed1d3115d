package dev.dq.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settings of {@code dq publish}.
 *
 * @param queue queue of tasks given by flags, and of stdin lines that name none
 * @param type task type with flags; null to read JSON lines from stdin
 * @param payload payload text, or null
 * @param payloadFile payload file, or null
 * @param count tasks to publish with {@code type}
 * @param delay how long after publishing the tasks become ready, on the broker's clock
 * @param timeout how long to wait for room in a full queue
 */
record PublishSettings(
    String queue, String type, String payload, Path payloadFile, int count, Duration delay, Duration timeout) {

  /** Builds and checks every task before anything is published: a bad one fails the whole command. */
  List<Task> tasks(InputStream stdin, InstantSource clock) {
    return type != null ? fromFlags(clock) : fromJsonLines(stdin, clock);
  }

  private List<Task> fromFlags(InstantSource clock) {
    byte[] bytes =
        payloadFile != null
            ? PublishCommand.readPayload(payloadFile)
            : (payload == null ? "" : payload).getBytes(StandardCharsets.UTF_8);
    List<Task> tasks = new ArrayList<>(count);
    try {
      for (int i = 0; i < count; i++) {
        tasks.add(Task.builder(type).queue(queue).payload(bytes).createdAt(clock.instant()).build());
      }
    } catch (InvalidTaskException e) {
      throw PublishCommand.rejected("", e);
    }
    return tasks;
  }

  private List<Task> fromJsonLines(InputStream stdin, InstantSource clock) {
    List<Task> tasks = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
      int number = 0;
      for (String line; (line = reader.readLine()) != null; ) {
        number++;
        if (!line.isBlank()) {
          tasks.add(fromJson(line, "stdin line " + number + ": ", clock));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tasks;
  }

  private Task fromJson(String line, String where, InstantSource clock) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new CommandFailedException(where + "not JSON (" + e.getOriginalMessage() + "); nothing was published");
    }
    if (node == null || !node.isObject() || !node.path("type").isTextual()) {
      throw new CommandFailedException(
          where + "expected an object with a string \"type\"; nothing was published");
    }
    try {
      Task.Builder b =
          Task.builder(node.get("type").asText()).queue(text(node, "queue", queue)).createdAt(clock.instant());
      if (node.hasNonNull("id")) {
        b.id(node.get("id").asText());
      }
      JsonNode p = node.path("payload");
      if (!p.isMissingNode() && !p.isNull()) {
        b.payload(p.isTextual() ? p.asText() : p.toString());
      }
      for (Map.Entry<String, JsonNode> h : node.path("headers").properties()) {
        b.header(h.getKey(), h.getValue().asText());
      }
      return b.build();
    } catch (InvalidTaskException e) {
      throw PublishCommand.rejected(where, e);
    }
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node.path(field);
    return value.isTextual() ? value.asText() : fallback;
  }
}
