package dev.dq.app.bench;

/**
 * A bench run found something wrong (a task lost or run twice, a queue not empty): its figures mean
 * nothing.
 */
final class BenchFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BenchFailedException(String message) {
    super(message);
  }
}
