package dev.dq.chaos.harness;

import dev.dq.chaos.ledger.FaultWindow;
import java.util.SplittableRandom;

/**
 * One kind of fault: injects it into a rig, waits out its length and lifts it again before it
 * returns (a killed worker is restarted, a stopped process continued, a proxy healed).
 *
 * @param name the kind, e.g. {@code kill-worker}
 * @param action what it does
 */
public record Fault(String name, Action action) {

  /** The body of a fault. */
  @FunctionalInterface
  public interface Action {
    /**
     * Injects and lifts the fault.
     *
     * @param rig what to hit
     * @param random picks the victim and the timing
     * @return when it began and when it was lifted, with the victim in its name
     * @throws InterruptedException if interrupted meanwhile
     */
    FaultWindow inject(Rig rig, SplittableRandom random) throws InterruptedException;
  }

  /**
   * Injects the fault and lifts it again.
   *
   * @param rig what to hit
   * @param random picks the victim and the timing
   * @return its window
   * @throws InterruptedException if interrupted meanwhile
   */
  public FaultWindow inject(Rig rig, SplittableRandom random) throws InterruptedException {
    return action.inject(rig, random);
  }
}
