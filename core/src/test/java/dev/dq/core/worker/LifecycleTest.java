package dev.dq.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.worker.Lifecycle.State;
import org.junit.jupiter.api.Test;

final class LifecycleTest {
  private final Lifecycle lifecycle = new Lifecycle();

  @Test
  void startThenStop_movesThroughEveryState() {
    lifecycle.start();
    assertThat(lifecycle.isRunning()).isTrue();

    assertThat(lifecycle.beginStop(42)).isEqualTo(State.RUNNING);
    assertThat(lifecycle.state()).isEqualTo(State.STOPPING);
    assertThat(lifecycle.isRunning()).isFalse();
    assertThat(lifecycle.stopDeadline()).isEqualTo(42);

    lifecycle.stopped();
    assertThat(lifecycle.state()).isEqualTo(State.STOPPED);
  }

  @Test
  void beginStop_beforeStart_stopsAtOnceAndStartIsRefused() {
    assertThat(lifecycle.beginStop(1)).isEqualTo(State.NEW);
    assertThat(lifecycle.state()).isEqualTo(State.STOPPED);

    assertThatThrownBy(lifecycle::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("pool was started before");
  }

  @Test
  void beginStop_again_changesNothingAndKeepsTheFirstDeadline() {
    lifecycle.start();
    lifecycle.beginStop(7);

    assertThat(lifecycle.beginStop(99)).isEqualTo(State.STOPPING);
    assertThat(lifecycle.stopDeadline()).isEqualTo(7);
    lifecycle.stopped();
    assertThat(lifecycle.beginStop(99)).isEqualTo(State.STOPPED);
    assertThat(lifecycle.state()).isEqualTo(State.STOPPED);
  }

  @Test
  void start_twice_isRefused() {
    lifecycle.start();

    assertThatThrownBy(lifecycle::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("pool was started before");
  }

  @Test
  void canMoveTo_allowsOnlyTheTransitionsOfOneLife() {
    assertThat(State.NEW.canMoveTo(State.RUNNING)).isTrue();
    assertThat(State.NEW.canMoveTo(State.STOPPED)).isTrue();
    assertThat(State.NEW.canMoveTo(State.STOPPING)).isFalse();
    assertThat(State.RUNNING.canMoveTo(State.STOPPING)).isTrue();
    assertThat(State.RUNNING.canMoveTo(State.STOPPED)).isFalse();
    assertThat(State.STOPPING.canMoveTo(State.STOPPED)).isTrue();
    assertThat(State.STOPPING.canMoveTo(State.RUNNING)).isFalse();
    for (State next : State.values()) {
      assertThat(State.STOPPED.canMoveTo(next)).as("STOPPED -> %s", next).isFalse();
    }
  }
}
