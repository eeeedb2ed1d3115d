package dev.dq.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.chaos.harness.Harness;
import dev.dq.chaos.harness.Options;
import dev.dq.chaos.harness.Report;
import dev.dq.chaos.harness.Scenario;
import dev.dq.chaos.harness.ScenarioResult;
import dev.dq.chaos.harness.Scenarios;
import dev.dq.chaos.process.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's short mix: every scenario with a 3 s fault phase (and at least the faults it names), run
 * through the shipped jar's worker and producer processes. Each must lose nothing acknowledged, run
 * nothing unexpected and leave nothing behind. The report goes to {@code target/chaos-report.md}
 * and stdout.
 */
final class ChaosHarnessIT {
  private static final Duration LEASE = Duration.ofSeconds(2);
  private static final Duration CI_PHASE = Duration.ofSeconds(3);
  private static final long SEED = Long.getLong("dq.chaos.seed", 20261130L);
  private static final List<ScenarioResult> results = new ArrayList<>();

  @TempDir static Path dir;

  @TestFactory
  Stream<DynamicTest> shortMix_losesNothing() {
    String jar = System.getProperty("dq.chaos.jar");
    assertThat(jar).as("failsafe passes the shaded jar as dq.chaos.jar").isNotBlank();
    Options options =
        new Options(2, 8, 2, 150, 20, LEASE, SEED, dir, jar, RedisServer.findBinary());
    Harness harness = new Harness(options, line -> System.out.println("chaos: " + line));
    List<Scenario> mix = Scenarios.all(LEASE);
    return mix.stream()
        .map(
            s ->
                DynamicTest.dynamicTest(
                    s.name(),
                    () -> {
                      Scenario scenario = s.faults().isEmpty() ? s : s.withFaultPhase(CI_PHASE);
                      ScenarioResult r = harness.run(scenario, options.seedOf(s.name()));
                      results.add(r);
                      System.out.print(Report.markdown(List.of(r), "ChaosHarnessIT"));
                      assertThat(r.problems()).isEmpty();
                      assertThat(r.verdict().acknowledged()).isPositive();
                      assertThat(r.verdict().lost()).as("lost").isZero();
                      assertThat(r.verdict().unexpected()).as("unexpected").isZero();
                      assertThat(r.verdict().residue()).as("residue").isZero();
                      assertThat(r.verdict().unreadable()).as("torn ledger lines").isZero();
                      assertThat(r.verdict().deadLettered()).as("dead-lettered").isZero();
                      assertThat(r.passed()).as("passed").isTrue();
                      if (!scenario.faults().isEmpty()) {
                        assertThat(r.faults()).as("faults injected").isNotEmpty();
                      }
                    }));
  }

  @AfterAll
  static void writeReport() throws Exception {
    Path out = Path.of("target", "chaos-report.md");
    Files.writeString(out, Report.markdown(results, "ChaosHarnessIT seed " + SEED));
  }
}
