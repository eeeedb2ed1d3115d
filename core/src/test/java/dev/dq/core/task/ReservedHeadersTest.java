package dev.dq.core.task;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

final class ReservedHeadersTest {
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(ReservedHeaders.class);

  @BeforeEach
  void watchLogs() {
    ReservedHeaders.forgetWarnings();
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void stopWatching() {
    logger.detachAppender(logs);
  }

  @Test
  void parse_wholePositiveNumbers() {
    assertThat(ReservedHeaders.parseMaxAttempts("1")).isEqualTo(1);
    assertThat(ReservedHeaders.parseMaxAttempts("25")).isEqualTo(25);
    assertThat(ReservedHeaders.parseTimeout("1500")).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void parse_malformed_namesHeaderAndValue() {
    for (String bad : new String[] {"0", "-1", "", " 3", "3s", "1.5", "99999999999", "x"}) {
      assertThatThrownBy(() -> ReservedHeaders.parseMaxAttempts(bad))
          .isInstanceOf(InvalidTaskException.class)
          .hasMessageContaining(ReservedHeaders.MAX_ATTEMPTS)
          .hasMessageContaining("\"" + bad + "\"");
    }
    assertThatThrownBy(() -> ReservedHeaders.parseTimeout("0"))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining(ReservedHeaders.TIMEOUT_MS)
        .hasMessageContaining("\"0\"");
  }

  @Test
  void check_looksOnlyAtReservedHeaders() {
    ReservedHeaders.check(Map.of("tenant", "0", ReservedHeaders.MAX_ATTEMPTS, "2"));

    assertThatThrownBy(() -> ReservedHeaders.check(Map.of(ReservedHeaders.TIMEOUT_MS, "soon")))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("\"soon\"");
  }

  @Test
  void workerRead_valid_givesTheValue_absent_givesEmpty() {
    Task task =
        aTask("t1")
            .header(ReservedHeaders.MAX_ATTEMPTS, "7")
            .header(ReservedHeaders.TIMEOUT_MS, "250")
            .build();

    assertThat(ReservedHeaders.maxAttempts(task)).contains(7);
    assertThat(ReservedHeaders.timeout(task)).contains(Duration.ofMillis(250));
    assertThat(ReservedHeaders.maxAttempts(aTask("t2").build())).isEmpty();
    assertThat(ReservedHeaders.timeout(aTask("t2").build())).isEmpty();
    assertThat(warnings()).isEmpty();
  }

  @Test
  void workerRead_malformed_fallsBackAndWarnsOncePerHeader() {
    Task bad1 = aTask("b1").header(ReservedHeaders.TIMEOUT_MS, "-5").build();
    Task bad2 = aTask("b2").header(ReservedHeaders.TIMEOUT_MS, "later").build();
    Task bad3 = aTask("b3").header(ReservedHeaders.MAX_ATTEMPTS, "many").build();

    assertThat(ReservedHeaders.timeout(bad1)).isEqualTo(Optional.empty());
    assertThat(ReservedHeaders.timeout(bad2)).isEmpty();
    assertThat(ReservedHeaders.maxAttempts(bad3)).isEmpty();
    assertThat(ReservedHeaders.maxAttempts(bad3)).isEmpty();

    assertThat(warnings()).hasSize(2);
    assertThat(warnings().get(0))
        .contains("task b1")
        .contains(ReservedHeaders.TIMEOUT_MS)
        .contains("\"-5\"");
    assertThat(warnings().get(1)).contains("task b3").contains("\"many\"");
  }

  private java.util.List<String> warnings() {
    return logs.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }
}
