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

  @Test
  void durableReplicas_badVariable_exits2WithOneLineNamingIt() {
    assertThat(cli.execute(Map.of("DQ_DURABLE_REPLICAS", "-1"), "", "stats")).isEqualTo(2);

    assertThat(cli.err().lines())
        .singleElement()
        .asString()
        .contains("DQ_DURABLE_REPLICAS")
        .contains("-1");
  }

  @Test
  void durableTimeout_aboveMaximum_exits2NamingTheFlag() {
    assertThat(cli.execute(Map.of(), "", "--durable-timeout", "5s", "stats")).isEqualTo(2);

    assertThat(cli.err().lines()).singleElement().asString().contains("--durable-timeout");
  }

  @Test
  void durableReplicas_onTheMemoryBroker_exits2NamingTheFlag() {
    assertThat(cli.execute(Map.of(), "", "--durable-replicas", "1", "stats")).isEqualTo(2);

    assertThat(cli.err().lines())
        .singleElement()
        .asString()
        .startsWith("dq: --durable-replicas: broker memory");
  }

  @Test
  void help_listsTheDurableOptionsWithTheirVariables() {
    assertThat(cli.execute(Map.of(), "", "--help")).isZero();

    assertThat(cli.out().replaceAll("\\s+", " "))
        .contains("0 = no wait", "(env DQ_DURABLE_REPLICAS, default 0)")
        .contains("(env DQ_DURABLE_TIMEOUT, default 500ms)")
        .contains("redis-sentinel://");
  }
}
