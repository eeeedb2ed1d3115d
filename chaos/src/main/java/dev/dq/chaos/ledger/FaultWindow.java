package dev.dq.chaos.ledger;

/**
 * When one injected fault began and when it was lifted (the same instant for a kill, which has
 * nothing to lift), in epoch milliseconds.
 *
 * @param name what was injected, e.g. {@code kill -9 worker-2}
 * @param startMillis when it began
 * @param endMillis when it was lifted
 */
public record FaultWindow(String name, long startMillis, long endMillis) {
  /** Checks the order. */
  public FaultWindow {
    if (endMillis < startMillis) {
      throw new IllegalArgumentException(
          "fault " + name + " ends before it starts: " + startMillis + " > " + endMillis);
    }
  }
}
