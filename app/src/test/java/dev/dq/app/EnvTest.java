package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class EnvTest {
  private final Env env = new Env(Map.of("N", " 12 ", "BAD", "x", "CHOICE", "Json"));

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
    assertThat(Env.printable("a".repeat(100))).isEqualTo("a".repeat(40) + "...");
  }
}
