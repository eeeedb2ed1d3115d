package dev.dq.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.task.Payload;
import org.junit.jupiter.api.Test;

final class StringCodecTest {
  private final StringCodec codec = StringCodec.INSTANCE;

  @Test
  void textBytesAndPayloads_roundTrip() {
    Payload text = codec.encode("grüße");
    Payload bytes = codec.encode(new byte[] {1, 2, (byte) 0xff});

    assertThat(codec.decode(text, String.class)).isEqualTo("grüße");
    assertThat(text.bytes()).isEqualTo("grüße".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(codec.decode(bytes, byte[].class)).containsExactly(1, 2, 0xff);
    assertThat(codec.decode(bytes, Payload.class)).isSameAs(bytes);
    assertThat(codec.encode(bytes)).isSameAs(bytes);
    assertThat(codec.encode(null)).isEqualTo(Payload.EMPTY);
    assertThat(codec.decode(Payload.EMPTY, Void.class)).isNull();
  }

  @Test
  void otherTypes_areCodecErrors_namingTheType() {
    assertThatThrownBy(() -> codec.encode(3L))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("java.lang.Long");
    assertThatThrownBy(() -> codec.decode(Payload.ofUtf8("3"), Integer.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("java.lang.Integer");
  }
}
