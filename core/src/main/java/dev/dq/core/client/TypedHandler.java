package dev.dq.core.client;

import dev.dq.core.task.Names;
import dev.dq.core.task.Task;
import java.util.Objects;

/**
 * A handler of one task type that receives its payload decoded into an {@code I} and may return an
 * {@code O}, stored as the task's result. {@link #adapt} turns it, with a {@link PayloadCodec},
 * into a handler a {@link dev.dq.core.worker.WorkerPool} runs. Failures, retries and interruption
 * are as for {@link dev.dq.core.worker.TaskHandler}; a payload that does not decode, or a result
 * that does not encode, dead-letters the task at once (another attempt would fail the same way).
 *
 * @param <I> what the handler receives
 * @param <O> what it returns; {@link Void} (return {@code null}) for no result
 */
public interface TypedHandler<I, O> {

  /**
   * The task type this handler serves.
   *
   * @return the task type
   */
  String type();

  /**
   * The class the payload is decoded into.
   *
   * @return the input's class
   */
  Class<I> inputType();

  /**
   * Runs the task.
   *
   * @param input the payload, decoded
   * @param task the task, as delivered (its id, attempt and headers)
   * @return the result, or {@code null} for none
   * @throws Exception to fail the attempt
   */
  O handle(I input, Task task) throws Exception;

  /**
   * This handler as one a worker pool runs: it decodes the payload and encodes the result with
   * {@code codec}.
   *
   * @param codec the codec, compatible with the producers'
   * @return the adapted handler
   */
  default CodecTaskHandler<I, O> adapt(PayloadCodec codec) {
    return new CodecTaskHandler<>(this, codec);
  }

  /**
   * A typed handler made of its parts.
   *
   * @param type the task type
   * @param inputType the class the payload is decoded into
   * @param body the work
   * @param <I> the input's type
   * @param <O> the result's type
   * @return the handler
   * @throws dev.dq.core.task.InvalidTaskException {@code type} is not a valid task type
   */
  static <I, O> TypedHandler<I, O> of(String type, Class<I> inputType, Body<I, O> body) {
    Names.check("task type", type);
    Objects.requireNonNull(inputType, "inputType");
    Objects.requireNonNull(body, "body");
    return new TypedHandler<>() {
      @Override
      public String type() {
        return type;
      }

      @Override
      public Class<I> inputType() {
        return inputType;
      }

      @Override
      public O handle(I input, Task task) throws Exception {
        return body.handle(input, task);
      }

      @Override
      public String toString() {
        return "TypedHandler[" + type + ", " + inputType.getSimpleName() + "]";
      }
    };
  }

  /**
   * The work of a typed handler, as a lambda.
   *
   * @param <I> the input's type
   * @param <O> the result's type
   */
  @FunctionalInterface
  interface Body<I, O> {
    /**
     * Runs the task.
     *
     * @param input the payload, decoded
     * @param task the task, as delivered
     * @return the result, or {@code null} for none
     * @throws Exception to fail the attempt
     */
    O handle(I input, Task task) throws Exception;
  }
}
