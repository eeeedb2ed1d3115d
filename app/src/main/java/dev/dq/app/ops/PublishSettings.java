package dev.dq.app.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.dq.app.config.CommandFailedException;
import dev.dq.app.config.SettingResolver;
import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Task;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

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
 * @param priority priority of tasks given by flags, and of stdin lines that name none
 * @param unique the unique key of tasks given by flags, and the window of every unique key
 */
record PublishSettings(
    String queue,
    String type,
    String payload,
    Path payloadFile,
    int count,
    Duration delay,
    Duration timeout,
    int priority,
    Unique unique) {

  /**
   * Unique keys of a publish.
   *
   * @param key the key of tasks given by flags ({@code --unique-key}), or null; stdin lines give
   *     their own as {@code "unique_key"}
   * @param window how long a key is held from the enqueue ({@code --unique-for}); empty: until its
   *     task ends
   */
  record Unique(String key, Optional<Duration> window) {
    static final Unique NONE = new Unique(null, Optional.empty());

    /** The key of a task: {@code key} with this window, checked. */
    UniqueKey of(String key) {
      return new UniqueKey(key, window);
    }
  }

  /** Settings without unique keys. */
  PublishSettings(
      String queue,
      String type,
      String payload,
      Path payloadFile,
      int count,
      Duration delay,
      Duration timeout,
      int priority) {
    this(queue, type, payload, payloadFile, count, delay, timeout, priority, Unique.NONE);
  }

  /**
   * Checks every task before anything is published (a bad one fails the whole command), then hands
   * them out one at a time. The caller closes the source.
   */
  PublishSource tasks(InputStream stdin, InstantSource clock) {
    return type != null
        ? fromFlags(clock)
        : PublishSource.spool(stdin, (line, where) -> fromJson(line, where, clock));
  }

  private PublishSource fromFlags(InstantSource clock) {
    byte[] bytes =
        payloadFile != null
            ? PublishCommand.readPayload(payloadFile)
            : (payload == null ? "" : payload).getBytes(StandardCharsets.UTF_8);
    Supplier<Task> make =
        () ->
            Task.builder(type)
                .queue(queue)
                .payload(bytes)
                .priority(priority)
                .createdAt(clock.instant())
                .build();
    try {
      make.get(); // the tasks differ only in their ids: one that passes means all pass
    } catch (InvalidTaskException e) {
      throw PublishCommand.rejected("", e);
    }
    return PublishSource.repeat(count, make, unique.key());
  }

  private PublishSource.Publication fromJson(String line, String where, InstantSource clock) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new CommandFailedException(
          where + "not JSON (" + e.getOriginalMessage() + "); nothing was published");
    }
    if (node == null || !node.isObject() || !node.path("type").isTextual()) {
      throw new CommandFailedException(
          where + "expected an object with a string \"type\"; nothing was published");
    }
    try {
      Task.Builder b =
          Task.builder(node.get("type").asText())
              .queue(text(node, "queue", queue, where))
              .priority(priority(node, where))
              .createdAt(clock.instant());
      String id = text(node, "id", null, where);
      if (id != null) {
        b.id(id);
      }
      JsonNode p = node.path("payload");
      if (!p.isMissingNode() && !p.isNull()) {
        b.payload(p.isTextual() ? p.asText() : p.toString());
      }
      headers(node, where).forEach(b::header);
      return new PublishSource.Publication(b.build(), uniqueKey(node, where));
    } catch (InvalidTaskException e) {
      throw PublishCommand.rejected(where, e);
    }
  }

  /** The line's {@code "unique_key"}, checked as {@link UniqueKey} does, or null. */
  private String uniqueKey(JsonNode node, String where) {
    String key = text(node, "unique_key", null, where);
    if (key != null) {
      try {
        unique.of(key);
      } catch (IllegalArgumentException e) {
        throw new CommandFailedException(where + e.getMessage() + "; nothing was published");
      }
    }
    return key;
  }

  /**
   * A string field, or {@code fallback} if absent or null; any other JSON type is rejected, never
   * converted.
   */
  private static String text(JsonNode node, String field, String fallback, String where) {
    JsonNode value = node.path(field);
    if (value.isMissingNode() || value.isNull()) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw new CommandFailedException(
          where
              + "\""
              + field
              + "\" must be a string, not "
              + kind(value)
              + "; nothing was published");
    }
    return value.asText();
  }

  /** The line's {@code "priority"}, a whole number, or the flag's if absent or null. */
  private int priority(JsonNode node, String where) {
    JsonNode value = node.path("priority");
    if (value.isMissingNode() || value.isNull()) {
      return priority;
    }
    if (!value.isInt()) {
      throw new CommandFailedException(
          where
              + "\"priority\" must be a whole number 0-9, not "
              + (value.isTextual() ? "a string" : kind(value))
              + "; nothing was published");
    }
    return value.intValue(); // out of range: the builder names it
  }

  /**
   * Headers are strings to strings: a number or object is rejected rather than turned into its
   * text.
   */
  private static Map<String, String> headers(JsonNode node, String where) {
    JsonNode headers = node.path("headers");
    if (headers.isMissingNode() || headers.isNull()) {
      return Map.of();
    }
    if (!headers.isObject()) {
      throw new CommandFailedException(
          where
              + "\"headers\" must be an object of strings, not "
              + kind(headers)
              + "; nothing was published");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> h : headers.properties()) {
      if (!h.getValue().isTextual()) {
        throw new CommandFailedException(
            where
                + "header \""
                + SettingResolver.printable(h.getKey())
                + "\" must be a string, not "
                + kind(h.getValue())
                + " (quote it to send it as text); nothing was published");
      }
      out.put(h.getKey(), h.getValue().asText());
    }
    return out;
  }

  private static String kind(JsonNode value) {
    return switch (value.getNodeType()) {
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      case NULL -> "null";
      default -> value.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }
}
