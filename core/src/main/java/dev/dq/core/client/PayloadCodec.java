package dev.dq.core.client;

import dev.dq.core.task.Payload;

/**
 * Turns values into task payloads and back: the producer's {@link DqClient} encodes what it
 * enqueues, a {@link TypedHandler} decodes its input and encodes its result, and {@link
 * DqClient#result} decodes that result. Producers and workers of one task type must use compatible
 * codecs. Implementations are thread-safe.
 */
public interface PayloadCodec {

  /**
   * Encodes a value.
   *
   * @param value the value; {@code null} is encoded as the codec sees fit (for instance {@code
   *     null} in JSON, or {@link Payload#EMPTY})
   * @return its payload
   * @throws CodecException the codec cannot encode this value (the message names its class)
   */
  Payload encode(Object value);

  /**
   * Decodes a payload into a value of {@code type}.
   *
   * @param payload the payload
   * @param type the class of the value wanted
   * @param <T> the value's type
   * @return the value; {@code null} where the payload encodes none
   * @throws CodecException the payload is not a valid {@code type} for this codec (the message
   *     names {@code type})
   */
  <T> T decode(Payload payload, Class<T> type);
}
