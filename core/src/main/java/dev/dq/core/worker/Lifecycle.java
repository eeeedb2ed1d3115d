package dev.dq.core.worker;

/**
 * A pool's lifecycle: {@code NEW -> RUNNING -> STOPPING -> STOPPED}, or {@code NEW -> STOPPED} when
 * stopped before it started. Only a running pool takes tasks; every other state means "hand back
 * what you meet". Thread-safe.
 */
final class Lifecycle {
  enum State {
    NEW,
    RUNNING,
    /** Stop is under way on its own thread: no new tasks, held ones are being handed back. */
    STOPPING,
    STOPPED;

    /** The one transition table: a pool starts once, and stops once, from wherever it is. */
    boolean canMoveTo(State next) {
      return switch (this) {
        case NEW -> next == RUNNING || next == STOPPED;
        case RUNNING -> next == STOPPING;
        case STOPPING -> next == STOPPED;
        case STOPPED -> false;
      };
    }
  }

  private volatile State state = State.NEW;

  /**
   * System.nanoTime() by which stop gives up on the broker; set before the state leaves RUNNING is
   * visible.
   */
  private volatile long stopDeadline;

  /**
   * @throws IllegalStateException if the pool was started (or stopped) before
   */
  synchronized void start() {
    if (!state.canMoveTo(State.RUNNING)) {
      throw new IllegalStateException("pool was started before");
    }
    state = State.RUNNING;
  }

  /**
   * Stop begins: a running pool moves to STOPPING with {@code deadline} (System.nanoTime()) as its
   * stop deadline, a new one straight to STOPPED; a stopping or stopped one stays as it is.
   *
   * @return the state stop found
   */
  synchronized State beginStop(long deadline) {
    State was = state;
    if (was == State.RUNNING) {
      stopDeadline = deadline; // written before the state: whoever sees STOPPING sees the deadline
      moveTo(State.STOPPING);
    } else if (was == State.NEW) {
      moveTo(State.STOPPED);
    }
    return was;
  }

  /** Stop's work is over. */
  synchronized void stopped() {
    moveTo(State.STOPPED);
  }

  private void moveTo(State next) {
    if (!state.canMoveTo(next)) {
      throw new IllegalStateException("pool cannot move from " + state + " to " + next);
    }
    state = next;
  }

  State state() {
    return state;
  }

  boolean isRunning() {
    return state == State.RUNNING;
  }

  /**
   * System.nanoTime() by which stop gives up on the broker; meaningful once the pool is no longer
   * running.
   */
  long stopDeadline() {
    return stopDeadline;
  }
}
