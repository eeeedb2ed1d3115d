package dev.dq.app.demo;

import dev.dq.core.task.Task;
import dev.dq.core.worker.TaskHandler;
import java.util.SplittableRandom;

/**
 * A demo handler: sleeps 20-200 ms and fails about 30% of the time. The outcome of each attempt
 * depends only on the seed, the task's sequence number (else its id) and the attempt number, not on
 * which thread runs it or when, so a seed reproduces a whole run.
 */
public final class SimulatedWork implements TaskHandler {
  static final int MIN_MILLIS = 20;
  static final int MAX_MILLIS = 200;
  static final double FAILURE_RATE = 0.3;

  /**
   * The demo's sequence number ({@code demo-7}): outcomes follow it rather than the per-run task
   * id.
   */
  static final String SEQUENCE_HEADER = "dq.demo.seq";

  private final long seed;

  public SimulatedWork(long seed) {
    this.seed = seed;
  }

  /** What one attempt of a task does: how long it works, and whether it then fails. */
  record Outcome(long millis, boolean fails) {}

  @Override
  public void handle(Task task) throws InterruptedException {
    Outcome outcome =
        outcome(
            seed, task.headers().getOrDefault(SEQUENCE_HEADER, task.id().value()), task.attempt());
    Thread.sleep(outcome.millis());
    if (outcome.fails()) {
      throw new SimulatedFailure(
          "simulated " + task.type() + " failure on attempt " + task.attempt());
    }
  }

  static Outcome outcome(long seed, String taskId, int attempt) {
    long h = seed;
    h = h * 1_000_003L + taskId.hashCode();
    h = h * 1_000_003L + attempt;
    SplittableRandom random = new SplittableRandom(h);
    return new Outcome(
        random.nextInt(MIN_MILLIS, MAX_MILLIS + 1), random.nextDouble() < FAILURE_RATE);
  }

  /** What a simulated failure throws; retried like any other exception. */
  static final class SimulatedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SimulatedFailure(String message) {
      super(message, null, false, false);
    }
  }
}
