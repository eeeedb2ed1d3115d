package dev.dq.app.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON the commands print with {@code --json}: one object or array per line, field names in
 * snake_case.
 */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  static void println(PrintWriter out, Object value) {
    try {
      out.println(MAPPER.writeValueAsString(value));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> stats(QueueStats s, long dead) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("queue", s.queue());
    m.put("ready", s.ready());
    m.put("in_flight", s.inFlight());
    m.put("delayed", s.delayed());
    m.put("dead", dead);
    return m;
  }

  /**
   * A dead letter; the payload only when {@code withPayload} (as UTF-8 text, which is what dq's
   * tools publish).
   */
  static Map<String, Object> deadLetter(DeadLetter d, boolean withPayload) {
    Task t = d.task();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id().value());
    m.put("queue", t.queue());
    m.put("type", t.type());
    m.put("attempts", d.failure().attempts());
    m.put("failed_at", d.failure().failedAt().toString());
    m.put("error_type", d.failure().errorType());
    m.put("message", d.failure().message());
    m.put("created_at", t.createdAt().toString());
    m.put("payload_bytes", t.payload().size());
    if (withPayload) {
      m.put("headers", t.headers());
      m.put("payload", t.payload().asUtf8());
    }
    return m;
  }
}
