package dev.dq.chaos.harness;

import dev.dq.chaos.process.Persistence;
import dev.dq.chaos.process.Topology;
import java.time.Duration;
import java.util.List;

/**
 * One fault scenario: a fresh Redis and fresh processes, steady load for {@code warmUp}, faults
 * drawn from {@code faults} one after another (each followed by a random pause in {@code [minGap,
 * maxGap]}) for {@code faultPhase}, steady load again for {@code coolDown}, then a drain and the
 * check.
 *
 * @param name what the report calls it
 * @param description one line on what it shows
 * @param persistence Redis's AOF policy
 * @param topology one server or a cluster
 * @param proxied whether clients connect through fault proxies
 * @param faults the kinds to draw from; empty = a control run without faults
 * @param warmUp load before the first fault
 * @param faultPhase how long faults are injected
 * @param coolDown load after the last fault
 * @param minGap shortest pause after a fault
 * @param maxGap longest pause after a fault
 * @param minFaults faults to inject however short the phase (so that each kind or step a scenario
 *     cycles through is hit); 0 for a control run
 */
public record Scenario(
    String name,
    String description,
    Persistence persistence,
    Topology topology,
    boolean proxied,
    List<Fault> faults,
    Duration warmUp,
    Duration faultPhase,
    Duration coolDown,
    Duration minGap,
    Duration maxGap,
    int minFaults) {

  /** Copies the list. */
  public Scenario {
    faults = List.copyOf(faults);
  }

  /**
   * How long the producers produce.
   *
   * @return warm-up + fault phase + cool-down
   */
  public Duration load() {
    return warmUp.plus(faultPhase).plus(coolDown);
  }

  /**
   * The same scenario with another fault phase, for a soak or a quick run.
   *
   * @param phase the new fault phase
   * @return the scenario with that fault phase
   */
  public Scenario withFaultPhase(Duration phase) {
    return new Scenario(
        name,
        description,
        persistence,
        topology,
        proxied,
        faults,
        warmUp,
        phase,
        coolDown,
        minGap,
        maxGap,
        minFaults);
  }
}
