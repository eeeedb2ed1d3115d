/**
 * JSON payloads for dq's typed client: {@link dev.dq.codec.jackson.JacksonCodec}, a {@link
 * dev.dq.core.client.PayloadCodec} over a Jackson {@code ObjectMapper}. A module of its own, so
 * that {@code dq-core} depends on nothing but SLF4J.
 */
package dev.dq.codec.jackson;
