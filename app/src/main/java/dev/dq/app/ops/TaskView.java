package dev.dq.app.ops;

import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.port.Failure;
import dev.dq.core.task.Payload;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** How {@code dq task} shows a {@link TaskInfo}: readable lines, or one JSON object. */
final class TaskView {
  private TaskView() {}

  static String text(TaskInfo t) {
    StringBuilder s = new StringBuilder();
    line(s, "id", t.id().value());
    line(s, "queue", t.queue());
    line(s, "state", t.state().wireName());
    line(s, "type", t.type());
    line(s, "attempt", Integer.toString(t.attempt()));
    line(s, "priority", Integer.toString(t.priority()));
    line(s, "created", t.createdAt().toString());
    t.startedAt().ifPresent(at -> line(s, "started", at.toString()));
    t.finishedAt().ifPresent(at -> line(s, "finished", at.toString()));
    t.worker().ifPresent(w -> line(s, "worker", oneLine(w)));
    t.lastError()
        .ifPresent(
            f ->
                line(
                    s,
                    "last error",
                    oneLine(f.errorType() + ": " + f.message())
                        + " (attempt "
                        + f.attempts()
                        + ", "
                        + f.failedAt()
                        + ")"));
    t.payload().ifPresent(p -> line(s, "payload", p.size() + " bytes"));
    t.result().ifPresent(r -> line(s, "result", r.size() + " bytes" + preview(r)));
    return s.substring(0, s.length() - 1);
  }

  static Map<String, Object> json(TaskInfo t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id().value());
    m.put("queue", t.queue());
    m.put("state", t.state().wireName());
    m.put("type", t.type());
    m.put("attempt", t.attempt());
    m.put("priority", t.priority());
    m.put("created_at", t.createdAt().toString());
    m.put("started_at", t.startedAt().map(Instant::toString).orElse(null));
    m.put("finished_at", t.finishedAt().map(Instant::toString).orElse(null));
    m.put("worker", t.worker().orElse(null));
    m.put("last_error", t.lastError().map(TaskView::failure).orElse(null));
    if (!t.headers().isEmpty()) {
      m.put("headers", t.headers());
    }
    t.payload().ifPresent(p -> m.put("payload_bytes", p.size()));
    t.result()
        .ifPresent(
            r -> {
              m.put("result_bytes", r.size());
              m.put("result_b64", Base64.getEncoder().encodeToString(r.bytes()));
              utf8(r).ifPresent(text -> m.put("result", text));
            });
    return m;
  }

  private static Map<String, Object> failure(Failure f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error_type", f.errorType());
    m.put("message", f.message());
    m.put("attempts", f.attempts());
    m.put("failed_at", f.failedAt().toString());
    return m;
  }

  /** The result as text if it is valid UTF-8, else empty. */
  static Optional<String> utf8(Payload p) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(p.bytes()))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  private static String preview(Payload r) {
    return utf8(r)
        .filter(text -> !text.isEmpty())
        .map(text -> ": " + oneLine(text.length() > 60 ? text.substring(0, 60) + "..." : text))
        .orElse("");
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\p{Cntrl}", "?");
  }

  private static void line(StringBuilder s, String key, String value) {
    s.append(String.format(java.util.Locale.ROOT, "%-11s %s%n", key, value));
  }
}
