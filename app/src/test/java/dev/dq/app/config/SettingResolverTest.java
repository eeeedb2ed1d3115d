package dev.dq.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class SettingResolverTest {
  private final SettingResolver env =
      new SettingResolver(Map.of("N", " 12 ", "BAD", "x", "CHOICE", "Json"));

  @Test
  void intInRange_paddedVariable_isParsed() {
    assertThat(env.intInRange(null, "--n", "N", 1, 1, 100)).isEqualTo(12);
  }

  @Test
  void intInRange_unsetVariable_givesDefault() {
    assertThat(env.intInRange(null, "--m", "MISSING", 9, 1, 100)).isEqualTo(9);
  }

  @Test
  void intInRange_flagGiven_ignoresBadVariable() {
    assertThat(env.intInRange("3", "--bad", "BAD", 1, 1, 100)).isEqualTo(3);
  }

  @Test
  void intInRange_badVariable_namesVariableAndValue() {
    assertThatThrownBy(() -> env.intInRange(null, "--bad", "BAD", 1, 1, 100))
        .isInstanceOf(BadSettingException.class)
        .hasMessage("BAD must be a whole number from 1 to 100, got \"x\"");
  }

  @Test
  void choice_isCaseInsensitive() {
    assertThat(env.choice(null, "--c", "CHOICE", "text", Set.of("text", "json"))).isEqualTo("json");
  }

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

  @Test
  void duration_outOfRange_namesFlagAndValue() {
    assertThatThrownBy(
            () ->
                env.duration(
                    "2h", "--grace", "DQ_GRACE", Duration.ZERO, Duration.ZERO, Duration.ofHours(1)))
        .isInstanceOf(BadSettingException.class)
        .hasMessageStartingWith("--grace must be a duration from 0ms to 60m")
        .hasMessageEndingWith("got \"2h\"");
  }

  @Test
  void list_variableIsCommaSeparated_flagWins() {
    SettingResolver e = new SettingResolver(Map.of("QUEUES", "a, b,,c"));

    assertThat(e.list(null, "--queue", "QUEUES", List.of("default"), "a name", s -> s))
        .containsExactly("a", "b", "c");
    assertThat(e.list(List.of("x"), "--queue", "QUEUES", List.of("default"), "a name", s -> s))
        .containsExactly("x");
    assertThat(e.list(null, "--queue", "NONE", List.of("default"), "a name", s -> s))
        .containsExactly("default");
  }

  @Test
  void pairs_typeEqualsValue_parsedAndBadPairNamed() {
    SettingResolver e = new SettingResolver(Map.of("C", "email=2,resize=1"));

    assertThat(e.pairs(null, "--concurrency", "C", "N", Integer::parseInt))
        .containsEntry("email", 2)
        .containsEntry("resize", 1);
    assertThatThrownBy(
            () -> e.pairs(List.of("email"), "--concurrency", "C", "N", Integer::parseInt))
        .isInstanceOf(BadSettingException.class)
        .hasMessage("--concurrency must be TYPE=N, got \"email\"");
    assertThatThrownBy(
            () -> e.pairs(List.of("a b=1"), "--concurrency", "C", "N", Integer::parseInt))
        .isInstanceOf(BadSettingException.class);
  }

  @Test
  void decimal_outOfRange_isRejected() {
    assertThat(env.decimal("0.25", "--p", "P", 0.5, 0, 1)).isEqualTo(0.25);
    assertThatThrownBy(() -> env.decimal("1.5", "--p", "P", 0.5, 0, 1))
        .isInstanceOf(BadSettingException.class);
  }
}
