package dev.dq.core.client;

import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.worker.NamedTaskHandler;
import dev.dq.core.worker.NonRetryableException;
import dev.dq.core.worker.ResultTaskHandler;
import java.util.Objects;

/**
 * A {@link TypedHandler} adapted to a worker pool by a {@link PayloadCodec}: it decodes each
 * payload, runs the typed handler and encodes what it returns as the task's result ({@link
 * Payload#EMPTY} for {@code null}). A payload the codec cannot decode, or a result it cannot
 * encode, fails the attempt with a {@link NonRetryableException}, since another attempt would fail
 * the same way. Thread-safe if the typed handler is.
 *
 * @param <I> what the typed handler receives
 * @param <O> what it returns
 */
public final class CodecTaskHandler<I, O> implements NamedTaskHandler, ResultTaskHandler {
  private final TypedHandler<I, O> handler;
  private final PayloadCodec codec;

  /**
   * Adapts {@code handler}.
   *
   * @param handler the typed handler
   * @param codec the codec of its input and result
   */
  public CodecTaskHandler(TypedHandler<I, O> handler, PayloadCodec codec) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.codec = Objects.requireNonNull(codec, "codec");
  }

  @Override
  public String type() {
    return handler.type();
  }

  @Override
  public Payload call(Task task) throws Exception {
    I input;
    try {
      input = codec.decode(task.payload(), handler.inputType());
    } catch (CodecException e) {
      throw new NonRetryableException(
          "task " + task.id() + ": payload does not decode: " + e.getMessage(), e);
    }
    O output = handler.handle(input, task);
    if (output == null) {
      return Payload.EMPTY;
    }
    try {
      return codec.encode(output);
    } catch (CodecException e) {
      throw new NonRetryableException(
          "task " + task.id() + ": result does not encode: " + e.getMessage(), e);
    }
  }

  @Override
  public void handle(Task task) throws Exception {
    call(task);
  }

  @Override
  public String toString() {
    return "CodecTaskHandler[" + handler.type() + ", " + codec + "]";
  }
}
