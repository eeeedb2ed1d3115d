package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.core.limit.LimitTarget;
import org.junit.jupiter.api.Test;

/** {@code dq limit} against real Redis, in this JVM: set, list (text and JSON), remove. */
final class LimitCommandIT extends WithRedis {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void setListRemove_roundTripThroughTheBroker() throws Exception {
    Cli set = new Cli();
    assertThat(
            set.execute(
                env(), "", "limit", "set", "--queue", "bulk", "--rate", "100/1m", "--burst", "10"))
        .as(set.err())
        .isZero();
    Cli set2 = new Cli();
    assertThat(set2.execute(env(), "", "limit", "set", "--type", "email", "--concurrency", "3"))
        .as(set2.err())
        .isZero();

    assertThat(broker.limit(LimitTarget.type("email")).orElseThrow().concurrency().getAsInt())
        .isEqualTo(3);
    Cli list = new Cli();
    assertThat(list.execute(env(), "", "limit", "list", "--json")).as(list.err()).isZero();
    JsonNode limits = json.readTree(list.out()).path("limits");
    assertThat(limits.findValuesAsText("target")).containsExactly("queue:bulk", "type:email");
    assertThat(limits.get(0).path("rate").asLong()).isEqualTo(100);
    assertThat(limits.get(0).path("per_ms").asLong()).isEqualTo(60_000);
    assertThat(limits.get(0).path("burst").asLong()).isEqualTo(10);
    Cli text = new Cli();
    assertThat(text.execute(env(), "", "limit", "list")).isZero();
    assertThat(text.out())
        .containsPattern("TARGET +RATE +BURST +CONCURRENCY")
        .containsPattern("(?m)^queue:bulk +100/1m +10 +-$")
        .containsPattern("(?m)^type:email +- +- +3$");

    Cli remove = new Cli();
    assertThat(remove.execute(env(), "", "limit", "remove", "--type", "email")).isZero();
    Cli again = new Cli();
    assertThat(again.execute(env(), "", "limit", "remove", "--type", "email")).isEqualTo(1);
    assertThat(again.err()).contains("no limit on type:email");
    assertThat(broker.limits()).hasSize(1);
  }
}
