package dev.dq.chaos.ledger;

/**
 * When one injected fault began and when it was lifted (the same instant for a kill, which has
 * nothing to lift), in epoch milliseconds.
 *
 * @param name what was injected, e.g. {@code kill -9 worker-2}
 * @param startMillis when it began
 * @param endMillis when it was lifted
 * @param effective false if the fault could not do what it is for (e.g. a step kill whose step
 *     never went by); the harness reports such a fault as a problem
 */
public record FaultWindow(String name, long startMillis, long endMillis, boolean effective) {
  /** Checks the order. */
  public FaultWindow {
    if (endMillis < startMillis) {
      throw new IllegalArgumentException(
          "fault " + name + " ends before it starts: " + startMillis + " > " + endMillis);
    }
  }

  /**
   * A fault that did what it is for.
   *
   * @param name what was injected
   * @param startMillis when it began
   * @param endMillis when it was lifted
   */
  public FaultWindow(String name, long startMillis, long endMillis) {
    this(name, startMillis, endMillis, true);
  }
}
