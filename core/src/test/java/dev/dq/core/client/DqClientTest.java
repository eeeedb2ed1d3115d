package dev.dq.core.client;

import static dev.dq.testing.TaskFixtures.EPOCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.port.Failure;
import dev.dq.core.task.Payload;
import dev.dq.core.task.ReservedHeaders;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.worker.TaskEvent;
import dev.dq.testing.FakeBroker;
import dev.dq.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class DqClientTest {
  private final FakeClock clock = FakeClock.at(EPOCH);
  private final FakeBroker fake = new FakeBroker(clock);
  private final RecordingBroker broker = new RecordingBroker(fake);
  private final AtomicInteger next = new AtomicInteger();
  private final List<TaskEvent> events = new ArrayList<>();
  private final DqClient client =
      DqClient.builder(broker)
          .clock(clock)
          .ids(() -> new TaskId("id-" + next.incrementAndGet()))
          .enqueueTimeout(Duration.ofSeconds(3))
          .listener(events::add)
          .build();

  @AfterEach
  void close() {
    fake.close();
  }

  @Test
  void enqueue_defaults_fillsIdAndCreationTime_encodesTheValue() throws Exception {
    TaskRef ref = client.enqueue("greet", "world");

    assertThat(ref).isEqualTo(new TaskRef(new TaskId("id-1"), Task.DEFAULT_QUEUE, true));
    assertThat(broker.calls).containsExactly("enqueue timeout=PT3S");
    Task task = broker.tasks.get(0);
    assertThat(task.id().value()).isEqualTo("id-1");
    assertThat(task.type()).isEqualTo("greet");
    assertThat(task.createdAt()).isEqualTo(EPOCH);
    assertThat(task.payload().asUtf8()).isEqualTo("world");
    assertThat(task.priority()).isEqualTo(Task.DEFAULT_PRIORITY);
    assertThat(task.headers()).isEmpty();
    assertThat(events).containsExactly(new TaskEvent.Enqueued(task));
    assertThat(fake.stats(Task.DEFAULT_QUEUE).ready()).isEqualTo(1);
  }

  @Test
  void enqueue_everyOption_reachesTheTask() throws Exception {
    clock.advance(Duration.ofMinutes(1));
    EnqueueOptions options =
        EnqueueOptions.builder()
            .queue("mail")
            .delay(Duration.ofSeconds(30))
            .priority(8)
            .maxAttempts(4)
            .timeout(Duration.ofMillis(2500))
            .header("tenant", "acme")
            .id(new TaskId("mine"))
            .build();

    TaskRef ref = client.enqueue("send", "hi", options);

    assertThat(ref).isEqualTo(new TaskRef(new TaskId("mine"), "mail", true));
    assertThat(broker.calls).containsExactly("enqueueIn PT30S timeout=PT3S");
    Task task = broker.tasks.get(0);
    assertThat(task.queue()).isEqualTo("mail");
    assertThat(task.priority()).isEqualTo(8);
    assertThat(task.createdAt()).isEqualTo(EPOCH.plus(Duration.ofMinutes(1)));
    assertThat(task.headers())
        .containsExactly(
            Map.entry("tenant", "acme"),
            Map.entry(ReservedHeaders.MAX_ATTEMPTS, "4"),
            Map.entry(ReservedHeaders.TIMEOUT_MS, "2500"));
    assertThat(next).as("no id generated").hasValue(0);
    assertThat(fake.stats("mail").delayed()).isEqualTo(1);
  }

  @Test
  void enqueue_runAt_goesToEnqueueAt() throws Exception {
    Instant at = EPOCH.plusSeconds(90);

    client.enqueue("greet", "x", EnqueueOptions.builder().runAt(at).build());

    assertThat(broker.calls).containsExactly("enqueueAt " + at + " timeout=PT3S");
  }

  @Test
  void enqueue_zeroDelay_isAPlainEnqueue() throws Exception {
    client.enqueue("greet", "x", EnqueueOptions.builder().delay(Duration.ZERO).build());

    assertThat(broker.calls).containsExactly("enqueue timeout=PT3S");
  }

  @Test
  void enqueue_uniqueKey_goesThroughUniqueTasks_withTheDelay() throws Exception {
    EnqueueOptions options =
        EnqueueOptions.builder()
            .uniqueKey(UniqueKey.forWindow("invoice:42", Duration.ofMinutes(5)))
            .delay(Duration.ofSeconds(2))
            .build();

    TaskRef ref = client.enqueue("bill", "42", options);

    assertThat(ref).isEqualTo(new TaskRef(new TaskId("id-1"), Task.DEFAULT_QUEUE, true));
    assertThat(broker.calls).containsExactly("enqueueUnique invoice:42 Optional[PT5M] PT2S");
    assertThat(events).hasSize(1);
  }

  @Test
  void enqueue_uniqueKeyHeld_answersTheHolder_andReportsNothingEnqueued() throws Exception {
    broker.uniqueHolder = Optional.of(new TaskId("holder"));

    TaskRef ref =
        client.enqueue(
            "bill",
            "42",
            EnqueueOptions.builder().queue("q").uniqueKey(UniqueKey.untilDone("k")).build());

    assertThat(ref).isEqualTo(new TaskRef(new TaskId("holder"), "q", false));
    assertThat(events)
        .containsExactly(new TaskEvent.UniqueHit(broker.tasks.get(0), new TaskId("holder")));
  }

  @Test
  void enqueue_uniqueKeyWithRunAt_turnsItIntoADelayOnTheClientsClock() throws Exception {
    clock.advance(Duration.ofSeconds(10));
    EnqueueOptions later =
        EnqueueOptions.builder()
            .uniqueKey(UniqueKey.untilDone("k"))
            .runAt(EPOCH.plusSeconds(70))
            .build();
    EnqueueOptions past =
        EnqueueOptions.builder().uniqueKey(UniqueKey.untilDone("k")).runAt(EPOCH).build();

    client.enqueue("bill", "a", later);
    client.enqueue("bill", "b", past);

    assertThat(broker.calls)
        .containsExactly(
            "enqueueUnique k Optional.empty PT1M", "enqueueUnique k Optional.empty PT0S");
  }

  @Test
  void missingCapability_isUnsupported_namingIt() {
    DqClient plain = DqClient.builder(fake).clock(clock).build();
    TaskRef ref = TaskRef.of("q", new TaskId("t"));

    assertThatThrownBy(() -> plain.find(ref))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("FakeBroker")
        .hasMessageContaining("dev.dq.core.lifecycle.TaskLookup");
    assertThatThrownBy(() -> plain.await(ref, Duration.ZERO))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("TaskLookup");
    assertThatThrownBy(() -> plain.result(ref, Duration.ZERO, String.class))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("TaskLookup");
    assertThatThrownBy(() -> plain.cancel(ref))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("dev.dq.core.lifecycle.TaskCancels");
    assertThatThrownBy(() -> plain.runNow(ref))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("dev.dq.core.lifecycle.TaskControls");
    assertThatThrownBy(() -> plain.delete(ref))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("dev.dq.core.lifecycle.TaskControls");
    assertThatThrownBy(
            () ->
                plain.enqueue(
                    "t", "x", EnqueueOptions.builder().uniqueKey(UniqueKey.untilDone("k")).build()))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("dev.dq.core.lifecycle.UniqueTasks");
    assertThat(fake.stats(Task.DEFAULT_QUEUE).ready()).as("nothing enqueued").isZero();
  }

  @Test
  void findAwaitCancel_passTheRefsQueueAndId() throws Exception {
    TaskRef ref = TaskRef.of("q", new TaskId("t1"));
    TaskInfo info = ended(ref, TaskState.SUCCEEDED, Optional.empty(), Optional.empty());
    broker.answer = Optional.of(info);
    broker.cancelAnswer = CancelOutcome.REQUESTED;

    assertThat(client.find(ref)).contains(info);
    assertThat(client.await(ref, Duration.ofSeconds(7))).contains(info);
    assertThat(client.cancel(ref)).isEqualTo(CancelOutcome.REQUESTED);
    assertThat(broker.calls).containsExactly("find q t1", "await q t1 PT7S", "cancel q t1");
  }

  @Test
  void result_succeeded_decodesTheResult() throws Exception {
    TaskRef ref = TaskRef.of("q", new TaskId("t1"));
    broker.answer =
        Optional.of(
            ended(ref, TaskState.SUCCEEDED, Optional.empty(), Optional.of(Payload.ofUtf8("42"))));

    assertThat(client.result(ref, Duration.ofSeconds(1), String.class)).contains("42");
    assertThat(broker.calls).containsExactly("await q t1 PT1S");
  }

  @Test
  void result_succeededWithoutResult_decodesTheEmptyPayload() throws Exception {
    TaskRef ref = TaskRef.of("q", new TaskId("t1"));
    broker.answer =
        Optional.of(ended(ref, TaskState.SUCCEEDED, Optional.empty(), Optional.empty()));

    assertThat(client.result(ref, Duration.ZERO, String.class)).contains("");
    assertThat(client.result(ref, Duration.ZERO, Void.class)).isEmpty();
  }

  @Test
  void result_notEndedInTime_isEmpty() throws Exception {
    assertThat(client.result(TaskRef.of("q", new TaskId("t1")), Duration.ZERO, String.class))
        .isEmpty();
  }

  @Test
  void result_deadOrCancelled_throwsWithTheTasksState() {
    TaskRef ref = TaskRef.of("q", new TaskId("t1"));
    Failure failure = new Failure("java.io.IOException", "disk full", 3, EPOCH);
    broker.answer = Optional.of(ended(ref, TaskState.DEAD, Optional.of(failure), Optional.empty()));

    assertThatThrownBy(() -> client.result(ref, Duration.ZERO, String.class))
        .isInstanceOf(TaskNotSucceededException.class)
        .hasMessage("task t1 of queue q ended dead: java.io.IOException: disk full")
        .satisfies(
            e ->
                assertThat(((TaskNotSucceededException) e).info().state())
                    .isEqualTo(TaskState.DEAD));

    broker.answer =
        Optional.of(ended(ref, TaskState.CANCELLED, Optional.empty(), Optional.empty()));
    assertThatThrownBy(() -> client.result(ref, Duration.ZERO, String.class))
        .isInstanceOf(TaskNotSucceededException.class)
        .hasMessage("task t1 of queue q ended cancelled");
  }

  @Test
  void enqueue_valueTheCodecCannotEncode_failsBeforeTheBroker() {
    assertThatThrownBy(() -> client.enqueue("greet", 42))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("java.lang.Integer");
    assertThat(broker.calls).isEmpty();
  }

  private static TaskInfo ended(
      TaskRef ref, TaskState state, Optional<Failure> error, Optional<Payload> result) {
    return new TaskInfo(
        ref.id(),
        ref.queue(),
        state,
        "greet",
        1,
        Task.DEFAULT_PRIORITY,
        EPOCH,
        Map.of(),
        Optional.empty(),
        Optional.of(EPOCH),
        Optional.of(EPOCH),
        error,
        Optional.empty(),
        result);
  }
}
