package dev.dq.app.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each event as one JSON object per line: {@code timestamp} (ISO-8601, UTC, milliseconds),
 * {@code level}, {@code logger}, {@code thread}, {@code message}, then the MDC keys at the top
 * level ({@code task_id}, {@code task_type}, {@code queue}, {@code attempt}, {@code duration_ms},
 * {@code worker}; {@code attempt} and {@code duration_ms} as numbers), SLF4J key-value pairs, and
 * {@code exception} with the stack trace. Logback's own JsonEncoder writes epoch milliseconds and
 * nests the MDC, which log pipelines then have to reshape.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
  private static final JsonFactory JSON = new JsonFactory();
  private static final Set<String> NUMERIC = Set.of("attempt", "duration_ms");
  private static final Set<String> RESERVED =
      Set.of("timestamp", "level", "logger", "thread", "message", "exception");

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField(
          "timestamp",
          DateTimeFormatter.ISO_INSTANT.format(event.getInstant().truncatedTo(ChronoUnit.MILLIS)));
      json.writeStringField("level", event.getLevel().toString());
      json.writeStringField("logger", event.getLoggerName());
      json.writeStringField("thread", event.getThreadName());
      json.writeStringField("message", event.getFormattedMessage());
      for (Map.Entry<String, String> e : event.getMDCPropertyMap().entrySet()) {
        field(json, e.getKey(), e.getValue());
      }
      if (event.getKeyValuePairs() != null) {
        for (KeyValuePair kv : event.getKeyValuePairs()) {
          field(json, kv.key, String.valueOf(kv.value));
        }
      }
      IThrowableProxy error = event.getThrowableProxy();
      if (error != null) {
        json.writeStringField("exception", ThrowableProxyUtil.asString(error));
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    bytes.write('\n');
    return bytes.toByteArray();
  }

  private static void field(JsonGenerator json, String key, String value) throws IOException {
    if (RESERVED.contains(key)) {
      return; // never let a context key overwrite the event's own fields
    }
    if (NUMERIC.contains(key) && value != null && value.matches("-?\\d{1,18}")) {
      json.writeNumberField(key, Long.parseLong(value));
    } else {
      json.writeStringField(key, value);
    }
  }
}
