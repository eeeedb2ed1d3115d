package dev.dq.core.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.task.ReservedHeaders;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class EnqueueOptionsTest {
  private static final Instant AT = Instant.parse("2024-01-01T00:00:00Z");

  @Test
  void defaults() {
    EnqueueOptions d = EnqueueOptions.DEFAULT;

    assertThat(d.queue()).isEqualTo(Task.DEFAULT_QUEUE);
    assertThat(d.priority()).isEqualTo(Task.DEFAULT_PRIORITY);
    assertThat(d.delay()).isEmpty();
    assertThat(d.runAt()).isEmpty();
    assertThat(d.uniqueKey()).isEmpty();
    assertThat(d.maxAttempts()).isEmpty();
    assertThat(d.timeout()).isEmpty();
    assertThat(d.id()).isEmpty();
    assertThat(d.taskHeaders()).isEmpty();
    assertThat(EnqueueOptions.queue("mail").queue()).isEqualTo("mail");
  }

  @Test
  void delayAndRunAt_areExclusive_inEitherOrder_andInTheConstructor() {
    assertThatThrownBy(() -> EnqueueOptions.builder().delay(Duration.ofSeconds(1)).runAt(AT))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining("not both")
        .hasMessageContaining("PT1S")
        .hasMessageContaining(AT.toString());
    assertThatThrownBy(() -> EnqueueOptions.builder().runAt(AT).delay(Duration.ofSeconds(1)))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining("not both");
    assertThatThrownBy(
            () ->
                new EnqueueOptions(
                    "q",
                    Optional.of(Duration.ZERO),
                    Optional.of(AT),
                    5,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Map.of(),
                    Optional.empty()))
        .isInstanceOf(InvalidOptionsException.class);
  }

  @Test
  void badValues_areRejectedAtOnce_namingTheValue() {
    EnqueueOptions.Builder b = EnqueueOptions.builder();

    assertThatThrownBy(() -> b.maxAttempts(0))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessage("maxAttempts must be >= 1: 0");
    assertThatThrownBy(() -> b.timeout(Duration.ZERO))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessage("timeout must be at least 1 ms: PT0S");
    assertThatThrownBy(() -> b.timeout(Duration.ofNanos(999_999)))
        .isInstanceOf(InvalidOptionsException.class);
    assertThatThrownBy(() -> b.delay(Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> b.priority(10))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining(": 10");
    assertThatThrownBy(() -> b.queue("no spaces"))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining("no spaces");
    assertThatThrownBy(() -> b.header("", "v")).isInstanceOf(InvalidOptionsException.class);
    assertThatThrownBy(() -> b.header(ReservedHeaders.MAX_ATTEMPTS, "three"))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining(ReservedHeaders.MAX_ATTEMPTS)
        .hasMessageContaining("\"three\"");
    assertThatThrownBy(() -> b.header(ReservedHeaders.TIMEOUT_MS, "-1"))
        .isInstanceOf(InvalidOptionsException.class)
        .hasMessageContaining("\"-1\"");
  }

  @Test
  void taskHeaders_optionsWinOverReservedHeadersGivenAsHeaders() {
    EnqueueOptions options =
        EnqueueOptions.builder()
            .header(ReservedHeaders.MAX_ATTEMPTS, "9")
            .header("trace", "abc")
            .maxAttempts(2)
            .timeout(Duration.ofMillis(1500).plusNanos(300))
            .build();

    assertThat(options.taskHeaders())
        .containsExactly(
            Map.entry(ReservedHeaders.MAX_ATTEMPTS, "2"),
            Map.entry("trace", "abc"),
            Map.entry(ReservedHeaders.TIMEOUT_MS, "1500"));
  }

  @Test
  void wellFormedReservedHeader_isKept() {
    EnqueueOptions options =
        EnqueueOptions.builder().header(ReservedHeaders.TIMEOUT_MS, "80").build();

    assertThat(options.taskHeaders()).containsExactly(Map.entry(ReservedHeaders.TIMEOUT_MS, "80"));
  }
}
