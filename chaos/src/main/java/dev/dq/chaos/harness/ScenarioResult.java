package dev.dq.chaos.harness;

import dev.dq.chaos.ledger.FaultWindow;
import dev.dq.chaos.ledger.Timeline;
import dev.dq.chaos.ledger.Verdict;
import java.util.List;

/**
 * What one scenario measured.
 *
 * @param scenario what ran
 * @param verdict the ledger check
 * @param timeline recovery, resume and throughput
 * @param faults every fault injected, in order
 * @param problems what went wrong around the measurement (a producer that failed, a drain that did
 *     not finish); a scenario with problems fails
 */
public record ScenarioResult(
    Scenario scenario,
    Verdict verdict,
    Timeline timeline,
    List<FaultWindow> faults,
    List<String> problems) {

  /** Copies the lists. */
  public ScenarioResult {
    faults = List.copyOf(faults);
    problems = List.copyOf(problems);
  }

  /**
   * Lost = 0, unexpected = 0, residue = 0, and nothing went wrong around the measurement.
   *
   * @return whether the scenario passed
   */
  public boolean passed() {
    return verdict.passed() && problems.isEmpty();
  }
}
