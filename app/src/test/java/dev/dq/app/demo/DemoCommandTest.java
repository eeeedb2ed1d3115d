package dev.dq.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.app.Cli;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The setting rows of demo, as its help shows them. */
final class DemoCommandTest {
  private final Cli cli = new Cli();

  @Test
  void help_withBadVariables_isPrintedWithTheRowsDefaults() {
    Map<String, String> env = Map.of("WORKERS", "0", "TASKS", "abc", "MAX_ATTEMPTS", "7");

    assertThat(cli.execute(env, "", "demo", "--help")).isZero();

    assertThat(cli.out().replaceAll("\\s+", " "))
        .contains(
            "(env WORKERS, default 3)", "(env TASKS, default 10)", "(env MAX_ATTEMPTS, default 3)");
    assertThat(cli.err()).isEmpty();
  }
}
