package dev.dq.core.task;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Immutable task payload bytes. Copies in and out, so no caller can change a task after it was
 * built.
 */
public final class Payload {
  /** The payload of no bytes. */
  public static final Payload EMPTY = new Payload(new byte[0]);

  private final byte[] bytes;

  private Payload(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * A payload of a copy of {@code bytes}.
   *
   * @param bytes the bytes
   * @return the payload
   * @throws InvalidTaskException if {@code bytes} is null
   */
  public static Payload of(byte[] bytes) {
    if (bytes == null) {
      throw new InvalidTaskException("payload must not be null");
    }
    return bytes.length == 0 ? EMPTY : new Payload(bytes.clone());
  }

  /**
   * A payload of {@code text} encoded as UTF-8.
   *
   * @param text the text
   * @return the payload
   * @throws InvalidTaskException if {@code text} is null
   */
  public static Payload ofUtf8(String text) {
    if (text == null) {
      throw new InvalidTaskException("payload text must not be null");
    }
    return text.isEmpty() ? EMPTY : new Payload(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A copy of the bytes.
   *
   * @return the bytes
   */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * The number of bytes.
   *
   * @return the size in bytes
   */
  public int size() {
    return bytes.length;
  }

  /**
   * The bytes decoded as UTF-8 (malformed sequences become U+FFFD).
   *
   * @return the text
   */
  public String asUtf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Payload other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Payload[" + bytes.length + " bytes]";
  }
}
