package dev.dq.app.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.app.Cli;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing of {@code dq migrate}: the one-line errors, before anything connects. */
final class MigrateCommandTest {
  private final Cli cli = new Cli();

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'migrate --batch 0', --batch",
    "'migrate --batch 10001', --batch",
    "'migrate --queue a/b', --queue",
    "'migrate --redis-url http://user:s3cret@host', --redis-url",
  })
  void badArguments_exit2WithOneLineNamingThem(String args, String named) {
    assertThat(cli.execute(Map.of(), "", args.split(" "))).isEqualTo(2);

    assertThat(cli.err().lines())
        .singleElement()
        .asString()
        .startsWith("dq: ")
        .contains(named)
        .doesNotContain("s3cret");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void badRedisUrlVariable_exits2NamingIt() {
    assertThat(cli.execute(Map.of("DQ_REDIS_URL", "http://host"), "", "migrate")).isEqualTo(2);

    assertThat(cli.err().lines()).singleElement().asString().startsWith("dq: DQ_REDIS_URL: ");
  }

  @Test
  void help_showsTheBatchDefaultAndItsVariable() {
    assertThat(cli.execute(Map.of(), "", "migrate", "--help")).isZero();

    assertThat(cli.out().replaceAll("\\s+", " "))
        .contains("(env DQ_MIGRATE_BATCH, default 500)", "--dry-run", "--queue");
  }
}
