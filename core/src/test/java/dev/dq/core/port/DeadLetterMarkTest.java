package dev.dq.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class DeadLetterMarkTest {
  @Test
  void token_roundTrips() {
    DeadLetterMark mark = new DeadLetterMark("emails.high", 42);

    assertThat(mark.token()).isEqualTo("42@emails.high");
    assertThat(DeadLetterMark.parse(mark.token(), "emails.high")).isEqualTo(mark);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "@q", "42", "x@q", "-1@q", "42@", "42@bad queue", "99999999999999999999@q"})
  void parse_garbage_isRejectedNamingIt(String token) {
    assertThatThrownBy(() -> DeadLetterMark.parse(token, "q"))
        .isInstanceOf(InvalidDeadLetterQueryException.class)
        .hasMessageContaining("\"" + token + "\"");
  }

  @Test
  void parse_otherQueue_isRejected() {
    assertThatThrownBy(() -> DeadLetterMark.parse("3@other", "q"))
        .isInstanceOf(InvalidDeadLetterQueryException.class)
        .hasMessageContaining("other")
        .hasMessageContaining("not q");
  }

  @Test
  void parse_null_isRejected() {
    assertThatThrownBy(() -> DeadLetterMark.parse(null, "q"))
        .isInstanceOf(InvalidDeadLetterQueryException.class);
  }

  @Test
  void check_beyondHighest_isRejected() {
    DeadLetterMark mark = new DeadLetterMark("q", 5);

    mark.check("q", 5);
    assertThatThrownBy(() -> mark.check("q", 4))
        .isInstanceOf(InvalidDeadLetterQueryException.class)
        .hasMessageContaining("5@q");
  }

  @Test
  void negativeSequence_isACallerBug() {
    assertThatThrownBy(() -> new DeadLetterMark("q", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }
}
