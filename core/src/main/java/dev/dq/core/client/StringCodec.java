package dev.dq.core.client;

import dev.dq.core.task.Payload;
import java.util.Objects;

/**
 * The codec that needs no library: text as UTF-8, bytes as they are. Encodes a {@link String}, a
 * {@code byte[]}, a {@link Payload} or {@code null} (as {@link Payload#EMPTY}); decodes into {@link
 * String}, {@code byte[]}, {@link Payload} or {@link Void} ({@code null}). Any other type is a
 * {@link CodecException}: use a JSON codec such as {@code dev.dq.codec.jackson.JacksonCodec}.
 */
public final class StringCodec implements PayloadCodec {
  /** The one instance; it holds no state. */
  public static final StringCodec INSTANCE = new StringCodec();

  private StringCodec() {}

  @Override
  public Payload encode(Object value) {
    if (value == null) {
      return Payload.EMPTY;
    }
    if (value instanceof String text) {
      return Payload.ofUtf8(text);
    }
    if (value instanceof byte[] bytes) {
      return Payload.of(bytes);
    }
    if (value instanceof Payload payload) {
      return payload;
    }
    throw new CodecException(
        "StringCodec encodes String, byte[] or Payload, not "
            + value.getClass().getName()
            + ": use a JSON codec such as dq-codec-jackson's JacksonCodec");
  }

  @Override
  public <T> T decode(Payload payload, Class<T> type) {
    Objects.requireNonNull(payload, "payload");
    if (type == String.class) {
      return type.cast(payload.asUtf8());
    }
    if (type == byte[].class) {
      return type.cast(payload.bytes());
    }
    if (type == Payload.class) {
      return type.cast(payload);
    }
    if (type == Void.class) {
      return null;
    }
    throw new CodecException(
        "StringCodec decodes into String, byte[], Payload or Void, not "
            + type.getName()
            + ": use a JSON codec such as dq-codec-jackson's JacksonCodec");
  }

  @Override
  public String toString() {
    return "StringCodec";
  }
}
