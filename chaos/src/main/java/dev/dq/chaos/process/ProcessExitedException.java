package dev.dq.chaos.process;

/** A process the harness waited for exited before it was ready. */
public final class ProcessExitedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which process, its exit code and where its output is
   */
  public ProcessExitedException(String message) {
    super(message);
  }
}
