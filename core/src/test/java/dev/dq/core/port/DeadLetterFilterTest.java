package dev.dq.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.task.Task;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class DeadLetterFilterTest {
  private static final Instant AT = Instant.parse("2024-01-01T00:00:00Z");

  @Test
  void all_matchesEverything() {
    assertThat(DeadLetterFilter.ALL.matchesAll()).isTrue();
    assertThat(DeadLetterFilter.ALL.matches(entry("mail", "E", "m"))).isTrue();
  }

  @Test
  void type_matchesExactly() {
    DeadLetterFilter mail = new DeadLetterFilter("mail", null);

    assertThat(mail.matches(entry("mail", "E", "m"))).isTrue();
    assertThat(mail.matches(entry("mailer", "E", "m"))).isFalse();
    assertThat(mail.matches(entry("Mail", "E", "m"))).isFalse();
  }

  @Test
  void errorText_isCaseInsensitiveSubstringOfTypeOrMessage() {
    DeadLetterFilter timeout = new DeadLetterFilter(null, "TimeOut");

    assertThat(timeout.matches(entry("t", "java.net.SocketTimeoutException", ""))).isTrue();
    assertThat(timeout.matches(entry("t", "E", "read TIMEOUT after 5s"))).isTrue();
    assertThat(timeout.matches(entry("t", "E", "refused"))).isFalse();
  }

  @Test
  void controlCharacter_isRejectedNamingTheValue() {
    assertThatThrownBy(() -> new DeadLetterFilter("mail\tx", null))
        .isInstanceOf(InvalidDeadLetterQueryException.class)
        .hasMessage(
            "dead-letter filter type must not hold control characters: \"mail?x\" (U+0009 at 4)");
    assertThatThrownBy(() -> DeadLetterFilter.of(null, "a\nb"))
        .isInstanceOf(InvalidDeadLetterQueryException.class)
        .hasMessageContaining("error text");
  }

  @Test
  void of_emptyOrNullMeansAny() {
    assertThat(DeadLetterFilter.of("", null)).isEqualTo(DeadLetterFilter.ALL);
    assertThat(DeadLetterFilter.of("mail", "")).isEqualTo(new DeadLetterFilter("mail", null));
    assertThat(DeadLetterFilter.of("mail", "x").typeIfSet()).contains("mail");
  }

  @Test
  void blankValue_isRejectedNamingIt() {
    assertThatThrownBy(() -> new DeadLetterFilter("  ", null))
        .isInstanceOf(InvalidDeadLetterQueryException.class)
        .hasMessageContaining("type")
        .hasMessageContaining("\"  \"");
    assertThatThrownBy(() -> DeadLetterFilter.of(null, " \t"))
        .isInstanceOf(InvalidDeadLetterQueryException.class)
        .hasMessageContaining("error text");
  }

  @Test
  void tooLongValue_isRejectedNamingItsLength() {
    String ok = "x".repeat(DeadLetterFilter.MAX_LENGTH);
    assertThat(new DeadLetterFilter(ok, ok).errorText()).hasSize(DeadLetterFilter.MAX_LENGTH);

    assertThatThrownBy(() -> new DeadLetterFilter(null, ok + "y"))
        .isInstanceOf(InvalidDeadLetterQueryException.class)
        .hasMessageContaining("257");
  }

  private static DeadLetter entry(String type, String errorType, String message) {
    Task task = Task.builder(type).id("t1").createdAt(AT).build();
    return new DeadLetter(task, new Failure(errorType, message, 1, AT));
  }
}
