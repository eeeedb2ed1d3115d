package dev.dq.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.adapter.redis.TestRedis;
import dev.dq.app.Cli;
import dev.dq.app.handlers.EchoHandler;
import dev.dq.core.lifecycle.Completion;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.worker.WorkerPool;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code dq task show|result} on Redis, and the built-in echo handler's result. */
final class TaskCommandIT {
  @RegisterExtension static final TestRedis redis = TestRedis.plain();
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final ObjectMapper json = new ObjectMapper();
  private RedisBroker broker;

  @BeforeEach
  void connect() {
    broker = RedisBroker.connect(RedisBrokerConfig.builder(redis.url()).build());
  }

  @AfterEach
  void close() {
    broker.close();
  }

  private Cli dq(int expectedCode, String... args) {
    return Cli.onRedis(redis.url(), expectedCode, args);
  }

  private Lease publishAndTake(String id, String queue) throws Exception {
    broker.enqueue(
        Task.builder("work")
            .id(id)
            .queue(queue)
            .createdAt(Instant.now())
            .payload("in")
            .header("k", "v")
            .build(),
        Duration.ZERO);
    return broker.dequeue(queue, LEASE, Duration.ZERO).orElseThrow();
  }

  @Test
  void result_binary_printedAsIs_andShowJson() throws Exception {
    byte[] bytes = {0, (byte) 0xff, 10, 13, (byte) 0x80, 65};
    Lease lease = publishAndTake("bin-1", "jobs");
    broker.complete(List.of(new Completion(lease, Optional.of(Payload.of(bytes)))));

    assertThat(dq(0, "task", "result", "bin-1", "--queue", "jobs").outBytes()).isEqualTo(bytes);

    JsonNode shown =
        json.readTree(dq(0, "task", "show", "bin-1", "--queue", "jobs", "--json").out());
    assertThat(shown.path("state").asText()).isEqualTo("succeeded");
    assertThat(shown.path("type").asText()).isEqualTo("work");
    assertThat(shown.path("attempt").asInt()).isEqualTo(1);
    assertThat(shown.path("result_b64").asText())
        .isEqualTo(Base64.getEncoder().encodeToString(bytes));
    assertThat(shown.has("result")).as("not valid UTF-8: no text").isFalse();
    assertThat(shown.path("worker").asText()).isNotEmpty();
    assertThat(Instant.parse(shown.path("finished_at").asText())).isNotNull();
  }

  @Test
  void show_text_active_namesWorkerAndStart() throws Exception {
    Lease lease = publishAndTake("a-1", "default");

    String out = dq(0, "task", "show", "a-1").out();

    assertThat(out)
        .contains("state       active", "worker      ", "started     ", "type        work");
    broker.ack(lease);
  }

  @Test
  void unknownId_exit1_oneLine() {
    Cli cli = dq(1, "task", "show", "nope", "--queue", "jobs");
    assertThat(cli.err().strip()).isEqualTo("dq: task nope not found in queue jobs");
    assertThat(cli.out()).isEmpty();
    Cli result = dq(1, "task", "result", "nope");
    assertThat(result.err().strip()).isEqualTo("dq: task nope not found in queue default");
  }

  @Test
  void result_wait_timesOut_exit1_withState() throws Exception {
    broker.enqueue(Task.builder("work").id("r-1").createdAt(Instant.now()).build(), Duration.ZERO);
    long start = System.nanoTime();

    Cli cli = dq(1, "task", "result", "r-1", "--wait", "500ms");

    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(cli.err().strip())
        .isEqualTo("dq: task r-1 has not finished within 500ms: it is ready");
    assertThat(tookMs).isGreaterThanOrEqualTo(450);
  }

  @Test
  void result_dead_exit1_saysSo() throws Exception {
    Lease lease = publishAndTake("d-1", "default");
    broker.deadLetter(
        lease, new Failure("java.lang.IllegalStateException", "bad", 1, Instant.now()));

    Cli cli = dq(1, "task", "result", "d-1");

    assertThat(cli.err().strip())
        .isEqualTo("dq: task d-1 ended dead: java.lang.IllegalStateException: bad");
  }

  @Test
  void echoHandler_roundTrip_resultIsThePayload() throws Exception {
    WorkerPool pool = WorkerPool.builder(broker).handler("echo", new EchoHandler()).build();
    pool.start();
    try {
      broker.enqueue(
          Task.builder("echo").id("e-1").payload("héllo").createdAt(Instant.now()).build(),
          Duration.ZERO);

      Cli cli = dq(0, "task", "result", "e-1", "--wait", "20s");

      assertThat(cli.out()).isEqualTo("héllo");
      JsonNode shown = json.readTree(dq(0, "task", "result", "e-1", "--json").out());
      assertThat(shown.path("result").asText()).isEqualTo("héllo");
      assertThat(broker.find("default", new TaskId("e-1")).orElseThrow().state())
          .isEqualTo(TaskState.SUCCEEDED);
    } finally {
      pool.stop(Duration.ofSeconds(5));
    }
  }
}
