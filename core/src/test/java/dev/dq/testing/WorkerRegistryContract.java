package dev.dq.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.ops.LiveWorker;
import dev.dq.core.ops.RunningTask;
import dev.dq.core.ops.WorkerRegistry;
import dev.dq.core.ops.WorkerStatus;
import dev.dq.core.port.Broker;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every broker that offers {@link WorkerRegistry} must do: a heartbeat lists a process until
 * its ttl passes on the broker's clock, a later one replaces it, deregister removes it. An
 * adapter's test extends it and supplies {@link #createBroker}; time comes only from {@link
 * #clock}.
 */
public abstract class WorkerRegistryContract {
  protected static final Duration TTL = Duration.ofSeconds(15);

  protected final FakeClock clock = FakeClock.at(TaskFixtures.EPOCH);
  protected Broker broker;
  protected WorkerRegistry registry;

  /** A new, empty broker that offers {@link WorkerRegistry} and reads time from {@code clock}. */
  protected abstract Broker createBroker(InstantSource clock);

  @BeforeEach
  final void createDefaultBroker() {
    broker = createBroker(clock);
    registry = (WorkerRegistry) broker;
  }

  @AfterEach
  final void closeBroker() {
    broker.close();
  }

  @Test
  void heartbeat_listsTheStatusAsReported_withTheBrokersTimes() {
    WorkerStatus status =
        status("host-a:12:x1", 3, List.of(new RunningTask("default", new TaskId("t1"))));

    registry.heartbeat(status, TTL);

    assertThat(registry.list())
        .containsExactly(new LiveWorker(status, clock.instant(), clock.instant().plus(TTL)));
  }

  @Test
  void laterHeartbeat_replacesTheStatus_andExtendsTheTime() {
    registry.heartbeat(status("w1", 0, List.of()), TTL);
    clock.advance(Duration.ofSeconds(10));
    WorkerStatus busier = status("w1", 2, List.of());

    registry.heartbeat(busier, TTL);
    clock.advance(Duration.ofSeconds(10));

    List<LiveWorker> live = registry.list();
    assertThat(live).hasSize(1);
    assertThat(live.get(0).status()).isEqualTo(busier);
    assertThat(live.get(0).lastHeartbeat()).isEqualTo(clock.instant().minusSeconds(10));
  }

  @Test
  void processThatStopsBeating_disappearsAfterItsTtl() {
    registry.heartbeat(status("dies", 0, List.of()), TTL);
    registry.heartbeat(status("lives", 0, List.of()), TTL);
    clock.advance(TTL.minusMillis(1));
    registry.heartbeat(status("lives", 0, List.of()), TTL);
    assertThat(ids()).containsExactly("dies", "lives");

    clock.advance(Duration.ofMillis(1));

    assertThat(ids()).containsExactly("lives");
  }

  @Test
  void deregister_removesAtOnce() {
    registry.heartbeat(status("w1", 0, List.of()), TTL);
    registry.heartbeat(status("w2", 0, List.of()), TTL);

    assertThat(registry.deregister("w1")).isTrue();
    assertThat(registry.deregister("w1")).isFalse();

    assertThat(ids()).containsExactly("w2");
  }

  @Test
  void list_orderedById() {
    for (String id : List.of("c", "a", "b")) {
      registry.heartbeat(status(id, 0, List.of()), TTL);
    }
    assertThat(ids()).containsExactly("a", "b", "c");
  }

  @Test
  void runningTasks_boundedInTheStatus() {
    List<RunningTask> many = new ArrayList<>();
    for (int i = 0; i < WorkerStatus.MAX_RUNNING + 20; i++) {
      many.add(new RunningTask("q", new TaskId("t" + i)));
    }
    registry.heartbeat(status("busy", many.size(), many), TTL);

    assertThat(registry.list().get(0).status().running()).hasSize(WorkerStatus.MAX_RUNNING);
  }

  @Test
  void nonPositiveTtl_refused() {
    assertThatThrownBy(() -> registry.heartbeat(status("w", 0, List.of()), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(registry.list()).isEmpty();
  }

  private List<String> ids() {
    return registry.list().stream().map(w -> w.status().id()).toList();
  }

  protected static WorkerStatus status(String id, int busy, List<RunningTask> running) {
    return new WorkerStatus(
        id,
        "host-a",
        12,
        "1.2.3",
        List.of("default", "emails"),
        8,
        busy,
        Instant.parse("2023-12-31T23:00:00Z"),
        running);
  }
}
