package dev.dq.app.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class LifecycleTest {
  private final List<String> calls = new ArrayList<>();

  private Lifecycle.Service service(String name) {
    return new Lifecycle.Service(
        name, () -> calls.add("start " + name), () -> calls.add("stop " + name));
  }

  @Test
  void close_stopsInReverseOrderOnce() {
    Lifecycle lifecycle =
        new Lifecycle(List.of(service("broker"), service("pool")), Duration.ofSeconds(1));

    lifecycle.start();
    lifecycle.stopAll();
    lifecycle.close();

    assertThat(calls).containsExactly("start broker", "start pool", "stop pool", "stop broker");
  }

  @Test
  void start_failingService_stopsTheStartedOnes() {
    Lifecycle.Service failing =
        new Lifecycle.Service(
            "bad",
            () -> {
              throw new IllegalStateException("boom");
            },
            () -> calls.add("stop bad"));
    Lifecycle lifecycle = new Lifecycle(List.of(service("broker"), failing), Duration.ofSeconds(1));

    assertThatThrownBy(lifecycle::start).hasMessage("boom");
    lifecycle.close();

    assertThat(calls).containsExactly("start broker", "stop broker");
  }

  @Test
  void stopAll_failingStop_stillStopsTheRest() {
    Lifecycle.Service failing =
        new Lifecycle.Service(
            "bad",
            () -> {},
            () -> {
              throw new IllegalStateException("boom");
            });
    Lifecycle lifecycle = new Lifecycle(List.of(service("broker"), failing), Duration.ofSeconds(1));

    lifecycle.start();
    lifecycle.close();

    assertThat(calls).containsExactly("start broker", "stop broker");
  }
}
