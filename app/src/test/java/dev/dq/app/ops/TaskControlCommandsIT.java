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
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code dq task retry} and {@code dq task delete} on Redis: outcomes, lines, exit codes. */
final class TaskControlCommandsIT {
  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  private static final Duration LEASE = Duration.ofSeconds(30);

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

  private static Task task(String id, String queue) {
    return Task.builder("email")
        .queue(queue)
        .payload(Payload.of(new byte[] {1}))
        .id(id)
        .createdAt(Instant.now())
        .build();
  }

  @Test
  void retry_delayed_readyNow_exit0_thenAlreadyReady_exit1() throws Exception {
    broker.enqueueIn(task("d1", "mail"), Duration.ofHours(1), Duration.ZERO);

    Cli ready = run(0, "task", "retry", "d1", "--queue", "mail");

    assertThat(ready.out().strip())
        .isEqualTo("task d1 of queue mail is ready now: the next free worker runs it");
    Lease lease = broker.dequeue("mail", LEASE, Duration.ZERO).orElseThrow();
    assertThat(lease.task().id().value()).isEqualTo("d1");
    Cli running = run(1, "task", "retry", "d1", "--queue", "mail");
    assertThat(running.err().strip())
        .isEqualTo("dq: task d1 of queue mail is running; nothing changed");
    broker.ack(lease);
  }

  @Test
  void retry_json_unknown_exit1() throws Exception {
    broker.enqueueIn(task("d2", Task.DEFAULT_QUEUE), Duration.ofHours(1), Duration.ZERO);

    assertThat(run(0, "task", "retry", "d2", "--json").out())
        .contains("\"outcome\":\"made_ready\"");
    assertThat(run(1, "task", "retry", "nope").err().strip())
        .isEqualTo("dq: task nope not found in queue default");
  }

  @Test
  void delete_waiting_exit0_gone_running_refused_exit1() throws Exception {
    broker.enqueue(task("w1", "mail"), Duration.ZERO);
    broker.enqueue(task("r1", "mail"), Duration.ZERO);
    Lease running = broker.dequeue("mail", LEASE, Duration.ZERO).orElseThrow();
    assertThat(running.task().id().value()).isEqualTo("w1");

    Cli refused = run(1, "task", "delete", "w1", "--queue", "mail");
    Cli deleted = run(0, "task", "delete", "r1", "--queue", "mail");

    assertThat(refused.err().strip())
        .isEqualTo(
            "dq: task w1 of queue mail is running: cancel it instead (dq task cancel w1 --queue"
                + " mail); nothing changed");
    assertThat(deleted.out().strip()).isEqualTo("task r1 of queue mail deleted: it will not run");
    assertThat(broker.dequeue("mail", LEASE, Duration.ZERO)).isEmpty();
    broker.ack(running);
    Cli record = run(0, "task", "delete", "w1", "--queue", "mail", "--json");
    assertThat(record.out()).contains("\"outcome\":\"record_deleted\"");
    assertThat(run(1, "task", "show", "w1", "--queue", "mail").err()).contains("not found");
  }

  @Test
  void badQueue_usageError_exit2_oneLine() {
    Cli bad = run(2, "task", "delete", "x", "--queue", "no spaces");

    assertThat(bad.err().strip()).contains("--queue").doesNotContain("\n");
  }
}
