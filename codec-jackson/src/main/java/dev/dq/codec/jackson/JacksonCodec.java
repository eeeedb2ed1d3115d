package dev.dq.codec.jackson;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.core.client.CodecException;
import dev.dq.core.client.PayloadCodec;
import dev.dq.core.task.Payload;
import java.io.IOException;
import java.util.Objects;

/**
 * Values as JSON (UTF-8), through a Jackson {@link ObjectMapper}: records, beans, collections,
 * strings and numbers, whatever the mapper can write and read. {@code null} is the JSON {@code
 * null}; an empty payload (a handler that returned nothing) decodes to {@code null}. Thread-safe,
 * as the mapper is once configured.
 *
 * <p>Bring your own mapper for modules (for instance {@code jackson-datatype-jsr310} for {@code
 * java.time} values) or settings; the default one is a plain {@code new ObjectMapper()}.
 */
public final class JacksonCodec implements PayloadCodec {
  private final ObjectMapper mapper;

  /** A codec over a plain {@code new ObjectMapper()}. */
  public JacksonCodec() {
    this(new ObjectMapper());
  }

  /**
   * A codec over {@code mapper}, which must not be reconfigured afterwards.
   *
   * @param mapper the mapper
   */
  public JacksonCodec(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  @Override
  public Payload encode(Object value) {
    try {
      return Payload.of(mapper.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new CodecException(
          "cannot encode a "
              + (value == null ? "null" : value.getClass().getName())
              + " as JSON: "
              + e.getOriginalMessage(),
          e);
    }
  }

  @Override
  public <T> T decode(Payload payload, Class<T> type) {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(type, "type");
    if (payload.size() == 0) {
      return null;
    }
    try {
      return mapper.readValue(payload.bytes(), type);
    } catch (JsonProcessingException e) {
      throw new CodecException(
          "payload of "
              + payload.size()
              + " bytes is not a JSON "
              + type.getName()
              + ": "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new CodecException(
          "payload of " + payload.size() + " bytes is not a JSON " + type.getName(), e);
    }
  }

  @Override
  public String toString() {
    return "JacksonCodec";
  }
}
