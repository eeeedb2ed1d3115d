package dev.dq.core.client;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.worker.NonRetryableException;
import org.junit.jupiter.api.Test;

final class CodecTaskHandlerTest {
  /** A codec of ints as decimal text, to show the adapter uses the codec it is given. */
  private static final PayloadCodec DECIMAL =
      new PayloadCodec() {
        @Override
        public Payload encode(Object value) {
          if (!(value instanceof Integer)) {
            throw new CodecException("not an Integer: " + value.getClass().getName());
          }
          return Payload.ofUtf8(value.toString());
        }

        @Override
        public <T> T decode(Payload payload, Class<T> type) {
          try {
            return type.cast(Integer.valueOf(payload.asUtf8()));
          } catch (NumberFormatException e) {
            throw new CodecException("not a " + type.getName() + ": " + payload.asUtf8(), e);
          }
        }
      };

  @Test
  void decodesTheInput_encodesTheResult_namesItsType() throws Exception {
    CodecTaskHandler<Integer, Integer> h =
        TypedHandler.of("square", Integer.class, (Integer n, Task t) -> n * n).adapt(DECIMAL);

    assertThat(h.type()).isEqualTo("square");
    assertThat(h.call(aTask("t1").payload("12").build()).asUtf8()).isEqualTo("144");
  }

  @Test
  void nullResult_isTheEmptyPayload() throws Exception {
    CodecTaskHandler<String, Void> h =
        TypedHandler.of("log", String.class, (String s, Task t) -> (Void) null)
            .adapt(StringCodec.INSTANCE);

    assertThat(h.call(aTask("t1").payload("x").build())).isEqualTo(Payload.EMPTY);
  }

  @Test
  void undecodablePayload_orUnencodableResult_isNonRetryable() {
    CodecTaskHandler<Integer, Object> h =
        TypedHandler.<Integer, Object>of(
                "odd", Integer.class, (Integer n, Task t) -> n > 0 ? "text" : null)
            .adapt(DECIMAL);

    assertThatThrownBy(() -> h.call(aTask("t1").payload("twelve").build()))
        .isInstanceOf(NonRetryableException.class)
        .hasMessageContaining("task t1: payload does not decode")
        .hasMessageContaining("java.lang.Integer");
    assertThatThrownBy(() -> h.call(aTask("t2").payload("1").build()))
        .isInstanceOf(NonRetryableException.class)
        .hasMessageContaining("task t2: result does not encode");
  }

  @Test
  void handlerFailures_propagateAsTheyAre() {
    IllegalStateException boom = new IllegalStateException("boom");
    CodecTaskHandler<Integer, Integer> h =
        TypedHandler.<Integer, Integer>of(
                "fail",
                Integer.class,
                (Integer n, Task t) -> {
                  throw boom;
                })
            .adapt(DECIMAL);

    assertThatThrownBy(() -> h.handle(aTask("t1").payload("1").build())).isSameAs(boom);
  }

  @Test
  void typeName_isChecked() {
    assertThatThrownBy(() -> TypedHandler.of("bad type", String.class, (s, t) -> s))
        .isInstanceOf(dev.dq.core.task.InvalidTaskException.class);
  }
}
