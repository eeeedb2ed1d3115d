package dev.dq.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.app.Cli;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing of {@code dq limit}: the one-line errors, and set's output on the in-memory broker. */
final class LimitCommandTest {
  private final Cli cli = new Cli();

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'limit set --rate 5/1s', --type",
    "'limit set --type a --queue b --rate 5/1s', --queue",
    "'limit set --type a', --rate",
    "'limit set --type a --rate fast', --rate",
    "'limit set --type a --rate 0/1s', --rate",
    "'limit set --type a --rate 5/2d', --rate",
    "'limit set --type a --rate 5/0ms', --rate",
    "'limit set --type a --burst 3 --concurrency 2', --burst",
    "'limit set --type a --rate 5/1s --burst -1', --burst",
    "'limit set --type a --concurrency 0', --concurrency",
    "'limit set --type a --concurrency many', --concurrency",
    "'limit set --type bad/type --concurrency 1', --type",
    "'limit remove', --type",
    "'limit remove --queue a/b', --queue",
  })
  void badArguments_exit2WithOneLineNamingThem(String args, String named) {
    assertThat(cli.execute(Map.of(), "", args.split(" "))).isEqualTo(2);

    assertThat(cli.err().lines()).singleElement().asString().startsWith("dq: ").contains(named);
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void set_rateBurstAndConcurrency_printsTheLimit() {
    int code =
        cli.execute(
            Map.of(),
            "",
            "limit",
            "set",
            "--type",
            "email",
            "--rate",
            "50/s",
            "--burst",
            "5",
            "--concurrency",
            "3");

    assertThat(code).as(cli.err()).isZero();
    assertThat(cli.out().trim()).isEqualTo("set type:email: rate 50/1s burst 5, concurrency 3");
  }

  @Test
  void rate_parsesEveryUnit() {
    assertThat(LimitCommand.rate("50/s", 0).per()).isEqualTo(Duration.ofSeconds(1));
    assertThat(LimitCommand.rate("1000/5m", 0).per()).isEqualTo(Duration.ofMinutes(5));
    assertThat(LimitCommand.rate("10/250ms", 2).burst()).isEqualTo(2);
    assertThat(LimitCommand.rate("1/1d", 0).per()).isEqualTo(Duration.ofDays(1));
    assertThat(LimitCommand.rate("7/h", 0).permits()).isEqualTo(7);
  }
}
