package dev.dq.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.adapter.redis.TestRedis;
import dev.dq.app.Cli;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code dq task cancel} on Redis: each outcome, its line and its exit code. */
final class TaskCancelCommandIT {
  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  private RedisBroker broker;

  @BeforeEach
  void connect() {
    broker = RedisBroker.connect(RedisBrokerConfig.builder(redis.url()).build());
  }

  @AfterEach
  void close() {
    broker.close();
  }

  private Cli run(int expectedCode, String... args) {
    return Cli.onRedis(redis.url(), expectedCode, args);
  }

  private Task task(String id, String queue) {
    return Task.builder("email")
        .queue(queue)
        .payload(Payload.of(new byte[] {1}))
        .id(id)
        .createdAt(java.time.Instant.now())
        .build();
  }

  @Test
  void waiting_cancelled_exit0_thenAlreadyEnded_exit1() throws Exception {
    broker.enqueue(task("c1", "mail"), Duration.ZERO);

    Cli cancelled = run(0, "task", "cancel", "c1", "--queue", "mail");

    assertThat(cancelled.out()).contains("task c1 of queue mail cancelled");
    assertThat(broker.dequeue("mail", Duration.ofSeconds(30), Duration.ZERO)).isEmpty();
    Cli again = run(1, "task", "cancel", "c1", "--queue", "mail");
    assertThat(again.err().strip()).contains("has ended already").doesNotContain("\n");
  }

  @Test
  void running_requested_exit0_json() throws Exception {
    broker.enqueue(task("r1", Task.DEFAULT_QUEUE), Duration.ZERO);
    Lease lease =
        broker.dequeue(Task.DEFAULT_QUEUE, Duration.ofSeconds(30), Duration.ZERO).orElseThrow();

    Cli requested = run(0, "task", "cancel", "r1", "--json");

    assertThat(requested.out()).contains("\"outcome\":\"requested\"");
    assertThat(broker.cancelRequested(Task.DEFAULT_QUEUE, List.of(lease.task().id())))
        .containsExactly(lease.task().id());
    broker.settleCancelled(lease);
  }

  @Test
  void badId_usageError_exit2() {
    Cli bad = run(2, "task", "cancel", "no spaces");

    assertThat(bad.err().strip()).contains("ID").doesNotContain("\n");
  }

  @Test
  void unknown_notFound_exit1_oneLine() {
    Cli missing = run(1, "task", "cancel", "nope");

    assertThat(missing.err().strip()).isEqualTo("dq: task nope of queue default not found");
  }
}
