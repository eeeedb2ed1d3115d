package dev.dq.codec.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.core.client.CodecException;
import dev.dq.core.task.Payload;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class JacksonCodecTest {
  record Item(String sku, int quantity) {}

  record Order(String id, List<Item> items, Map<String, String> notes, boolean urgent) {}

  private final JacksonCodec codec = new JacksonCodec();

  @Test
  void records_roundTrip_asJson() {
    Order order =
        new Order("o-1", List.of(new Item("a", 2), new Item("b", 1)), Map.of("gift", "yes"), true);

    Payload payload = codec.encode(order);

    assertThat(payload.asUtf8()).startsWith("{\"id\":\"o-1\",\"items\":[{\"sku\":\"a\"");
    assertThat(codec.decode(payload, Order.class)).isEqualTo(order);
  }

  @Test
  void scalars_andNull_roundTrip() {
    assertThat(codec.decode(codec.encode("hello, world"), String.class)).isEqualTo("hello, world");
    assertThat(codec.encode("x").asUtf8()).isEqualTo("\"x\"");
    assertThat(codec.decode(codec.encode(42), Integer.class)).isEqualTo(42);
    assertThat(codec.encode(null).asUtf8()).isEqualTo("null");
    assertThat(codec.decode(codec.encode(null), Order.class)).isNull();
    assertThat(codec.decode(Payload.EMPTY, Order.class))
        .as("a handler that returned nothing")
        .isNull();
  }

  @Test
  void badJson_isACodecError_namingTheTargetType() {
    assertThatThrownBy(() -> codec.decode(Payload.ofUtf8("{\"id\": "), Order.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("is not a JSON " + Order.class.getName());
    assertThatThrownBy(() -> codec.decode(Payload.ofUtf8("[1,2]"), Item.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining(Item.class.getName());
    assertThatThrownBy(() -> codec.decode(Payload.ofUtf8("not json"), Integer.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("java.lang.Integer");
  }

  @Test
  void unknownProperties_followTheMappersSettings() {
    Payload extra = Payload.ofUtf8("{\"sku\":\"a\",\"quantity\":1,\"colour\":\"red\"}");
    JacksonCodec lenient =
        new JacksonCodec(
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));

    assertThatThrownBy(() -> codec.decode(extra, Item.class))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining(Item.class.getName());
    assertThat(lenient.decode(extra, Item.class)).isEqualTo(new Item("a", 1));
  }

  @Test
  void unencodableValue_isACodecError_namingItsClass() {
    Object cyclic =
        new Object() {
          @SuppressWarnings("unused")
          public Object getSelf() {
            return this;
          }
        };

    assertThatThrownBy(() -> codec.encode(cyclic))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("cannot encode");
  }
}
