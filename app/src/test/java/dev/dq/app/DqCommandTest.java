package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared options of the root command as typed options: help, and the URL check's source. */
final class DqCommandTest {
  private final Cli cli = new Cli();

  @Test
  void help_withBadVariables_isPrintedWithTheDefaults() {
    Map<String, String> env =
        Map.of("DQ_BROKER", "foo", "DQ_QUEUE_CAPACITY", "0", "DQ_LOG_FORMAT", "json");

    assertThat(cli.execute(env, "", "--help")).isZero();

    assertThat(cli.out().replaceAll("\\s+", " "))
        .contains(
            "(env DQ_BROKER, default memory)",
            "(env DQ_LOG_FORMAT, default text)",
            "(env DQ_QUEUE_CAPACITY, default 100000)");
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void badRedisUrl_fromTheFlag_namesTheFlag_andHidesThePassword() {
    assertThat(
            cli.execute(
                Map.of("DQ_REDIS_URL", "redis://127.0.0.1:1"),
                "",
                "--broker",
                "Redis",
                "--redis-url",
                "http://user:s3cret@host",
                "stats"))
        .isEqualTo(2);

    assertThat(cli.err().lines())
        .singleElement()
        .asString()
        .startsWith("dq: --redis-url: ")
        .doesNotContain("s3cret");
  }

  @Test
  void badRedisUrl_fromTheVariable_namesTheVariable() {
    assertThat(
            cli.execute(Map.of("DQ_BROKER", "redis", "DQ_REDIS_URL", "http://host"), "", "stats"))
        .isEqualTo(2);

    assertThat(cli.err().lines()).singleElement().asString().startsWith("dq: DQ_REDIS_URL: ");
  }
}
