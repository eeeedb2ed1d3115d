package dev.dq.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

final class SettingResolverTest {
  @Test
  void printable_longValue_isCut() {
    assertThat(SettingResolver.printable("a".repeat(100))).isEqualTo("a".repeat(40) + "...");
  }

  @Test
  void duration_shortAndIsoForms_areParsed() {
    assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("PT2S")).isEqualTo(Duration.ofSeconds(2));
  }
}
