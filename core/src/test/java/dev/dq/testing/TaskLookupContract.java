package dev.dq.testing;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.Completion;
import dev.dq.core.lifecycle.TaskCancels;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskLookup;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.task.TaskLimits;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every broker that offers {@link TaskLookup} must do: every state reported by id, results
 * stored only by the delivery that holds the lease, and await. An adapter's test extends it and
 * supplies {@link #createBroker}; the broker's time comes only from {@link #clock} (await's timeout
 * is real time). Every test settles every lease it takes.
 */
public abstract class TaskLookupContract {
  protected static final String QUEUE = Task.DEFAULT_QUEUE;
  protected static final Duration LEASE = Duration.ofSeconds(30);
  protected static final Duration PATIENCE = Duration.ofSeconds(30);

  protected final FakeClock clock = FakeClock.at(TaskFixtures.EPOCH);
  protected Broker broker;
  protected TaskLookup lookup;

  /** A new, empty broker that offers {@link TaskLookup} and reads time only from {@code clock}. */
  protected abstract Broker createBroker(InstantSource clock);

  @BeforeEach
  final void createDefaultBroker() {
    broker = createBroker(clock);
    lookup = (TaskLookup) broker;
  }

  @AfterEach
  final void closeBroker() {
    broker.close();
  }

  @Test
  void find_unknownId_empty_neverReady() throws Exception {
    assertThat(lookup.find(QUEUE, new TaskId("nobody"))).isEmpty();
    enqueue(aTask("t1").build());
    assertThat(lookup.find(QUEUE, new TaskId("nobody"))).isEmpty();
    assertThat(lookup.find("other", new TaskId("t1"))).isEmpty();
    assertThat(lookup.findAll(QUEUE, List.of(new TaskId("nobody"), new TaskId("t1"))))
        .containsOnlyKeys(new TaskId("t1"));
  }

  @Test
  void find_ready_withPayloadHeadersAndPriority() throws Exception {
    enqueue(aTask("t1").payload("hello").header("k", "v").priority(7).build());

    TaskInfo info = find("t1");

    assertThat(info.state()).isEqualTo(TaskState.READY);
    assertThat(info.queue()).isEqualTo(QUEUE);
    assertThat(info.type()).isEqualTo(TaskFixtures.TYPE);
    assertThat(info.attempt()).isEqualTo(1);
    assertThat(info.priority()).isEqualTo(7);
    assertThat(info.createdAt()).isEqualTo(TaskFixtures.EPOCH);
    assertThat(info.payload()).contains(Payload.ofUtf8("hello"));
    assertThat(info.headers()).isEqualTo(Map.of("k", "v"));
    assertThat(info.startedAt()).isEmpty();
    assertThat(info.worker()).isEmpty();
    assertThat(info.result()).isEmpty();
  }

  @Test
  void find_delayed() throws Exception {
    broker.enqueueIn(aTask("t1").build(), Duration.ofMinutes(1), Duration.ZERO);

    assertThat(find("t1").state()).isEqualTo(TaskState.DELAYED);
  }

  @Test
  void find_active_withWorkerAndStartedAt() throws Exception {
    enqueue(aTask("t1").build());
    clock.advance(Duration.ofSeconds(3));
    Lease lease = take();

    TaskInfo info = find("t1");

    assertThat(info.state()).isEqualTo(TaskState.ACTIVE);
    assertThat(info.attempt()).isEqualTo(1);
    assertThat(info.startedAt()).contains(clock.instant());
    assertThat(info.worker()).hasValueSatisfying(w -> assertThat(w).isNotBlank());
    broker.ack(lease);
  }

  @Test
  void find_retrying_withLastError() throws Exception {
    enqueue(aTask("t1").build());
    Lease lease = take();
    Failure failure = new Failure("java.io.IOException", "disk full", 1, clock.instant());

    broker.retryLater(lease, Duration.ofMinutes(1), failure);

    TaskInfo info = find("t1");
    assertThat(info.state()).isEqualTo(TaskState.RETRYING);
    assertThat(info.attempt()).isEqualTo(2);
    assertThat(info.lastError()).contains(failure);
    clock.advance(Duration.ofMinutes(2));
    Lease second = take();
    assertThat(find("t1").state()).isEqualTo(TaskState.ACTIVE);
    broker.ack(second);
    TaskInfo done = find("t1");
    assertThat(done.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(done.attempt()).isEqualTo(2);
    assertThat(done.lastError()).isEmpty();
  }

  @Test
  void find_dead_withItsFailure() throws Exception {
    enqueue(aTask("t1").build());
    Lease lease = take();
    Failure failure = new Failure("java.lang.IllegalStateException", "bad", 1, clock.instant());

    broker.deadLetter(lease, failure);

    TaskInfo info = find("t1");
    assertThat(info.state()).isEqualTo(TaskState.DEAD);
    assertThat(info.lastError()).contains(failure);
    assertThat(info.payload()).isPresent();
  }

  @Test
  void complete_storesResult_withTimes() throws Exception {
    enqueue(aTask("t1").payload("in").header("k", "v").build());
    clock.advance(Duration.ofSeconds(1));
    Lease lease = take();
    java.time.Instant startedAt = clock.instant();
    clock.advance(Duration.ofSeconds(2));

    assertThat(lookup.complete(List.of(done(lease, "out")))).isEmpty();

    TaskInfo info = find("t1");
    assertThat(info.state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(info.result()).contains(Payload.ofUtf8("out"));
    assertThat(info.attempt()).isEqualTo(1);
    assertThat(info.type()).isEqualTo(TaskFixtures.TYPE);
    assertThat(info.createdAt()).isEqualTo(TaskFixtures.EPOCH);
    assertThat(info.startedAt()).contains(startedAt);
    assertThat(info.finishedAt()).contains(clock.instant());
    assertThat(info.worker()).isPresent();
    assertThat(info.payload()).isEmpty();
    assertThat(info.headers()).isEmpty();
  }

  @Test
  void complete_binaryResult_keptByteForByte() throws Exception {
    enqueue(aTask("t1").build());
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }

    lookup.complete(List.of(new Completion(take(), Optional.of(Payload.of(bytes)))));

    assertThat(find("t1").result().orElseThrow().bytes()).isEqualTo(bytes);
  }

  @Test
  void ack_withoutResult_succeeded_noResult() throws Exception {
    enqueue(aTask("t1").build(), aTask("t2").build());
    List<Lease> leases = broker.dequeueBatch(QUEUE, 2, LEASE, Duration.ZERO);
    broker.ack(leases.get(0));
    assertThat(broker.ackAll(List.of(leases.get(1)))).isEmpty();

    for (String id : List.of("t1", "t2")) {
      assertThat(find(id).state()).isEqualTo(TaskState.SUCCEEDED);
      assertThat(find(id).result()).isEmpty();
    }
  }

  @Test
  void complete_repeated_answersExactly_resultUnchanged() throws Exception {
    enqueue(aTask("t1").build());
    Completion completion = done(take(), "out");

    assertThat(lookup.complete(List.of(completion))).isEmpty();
    assertThat(lookup.complete(List.of(completion))).isEmpty();

    assertThat(find("t1").result()).contains(Payload.ofUtf8("out"));
  }

  @Test
  void complete_staleLease_storesNothing_neverOverwritesTheNewOwner() throws Exception {
    enqueue(aTask("t1").build());
    Lease stale = take();
    clock.advance(LEASE.plusSeconds(1));
    assertThat(broker.reclaimExpiredLeases()).isEqualTo(1);
    Lease owner = take();

    assertThat(lookup.complete(List.of(done(stale, "late")))).containsExactly(stale);
    assertThat(find("t1").state()).isEqualTo(TaskState.ACTIVE);
    assertThat(find("t1").result()).isEmpty();

    assertThat(lookup.complete(List.of(done(owner, "owner")))).isEmpty();
    assertThat(lookup.complete(List.of(done(stale, "late")))).containsExactly(stale);

    assertThat(find("t1").state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(find("t1").result()).contains(Payload.ofUtf8("owner"));
  }

  @Test
  void complete_resultTooLarge_refused_nothingAcked() throws Exception {
    enqueue(aTask("t1").build(), aTask("t2").build());
    List<Lease> leases = broker.dequeueBatch(QUEUE, 2, LEASE, Duration.ZERO);
    Payload huge = Payload.of(new byte[2 * 1024 * 1024]);

    assertThatThrownBy(
            () ->
                lookup.complete(
                    List.of(
                        done(leases.get(0), "ok"),
                        new Completion(leases.get(1), Optional.of(huge)))))
        .isInstanceOf(InvalidTaskException.class);

    assertThat(find("t1").state()).isEqualTo(TaskState.ACTIVE);
    assertThat(find("t2").state()).isEqualTo(TaskState.ACTIVE);
    assertThat(broker.ackAll(leases)).isEmpty();
  }

  /**
   * The result limit ({@link TaskLimits#DEFAULT_MAX_RESULT_BYTES} by default) is its own, far below
   * the payload limit: a result one byte above it is refused, one at it is kept.
   */
  @Test
  void complete_resultLimit_defaultIs64KiB_belowThePayloadLimit() throws Exception {
    enqueue(aTask("t1").build(), aTask("t2").build());
    List<Lease> leases = broker.dequeueBatch(QUEUE, 2, LEASE, Duration.ZERO);
    int limit = TaskLimits.DEFAULT.maxResultBytes();
    assertThat(limit).isEqualTo(64 * 1024).isLessThan(TaskLimits.DEFAULT.maxPayloadBytes());

    assertThatThrownBy(
            () ->
                lookup.complete(
                    List.of(new Completion(leases.get(0), Optional.of(bytes(limit + 1))))))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("result limit");
    assertThat(lookup.complete(List.of(new Completion(leases.get(1), Optional.of(bytes(limit))))))
        .isEmpty();

    assertThat(find("t2").result()).contains(bytes(limit));
    assertThat(broker.ackAll(List.of(leases.get(0)))).isEmpty();
  }

  private static Payload bytes(int n) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) 'r');
    return Payload.of(b);
  }

  @Test
  void await_afterTheEnd_answersAtOnce() throws Exception {
    enqueue(aTask("t1").build());
    lookup.complete(List.of(done(take(), "out")));

    long start = System.nanoTime();
    Optional<TaskInfo> info = lookup.await(QUEUE, new TaskId("t1"), Duration.ofSeconds(20));

    assertThat(info).hasValueSatisfying(i -> assertThat(i.state()).isEqualTo(TaskState.SUCCEEDED));
    assertThat(info.get().result()).contains(Payload.ofUtf8("out"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(lookup.await(QUEUE, new TaskId("t1"), Duration.ZERO)).isPresent();
  }

  @Test
  void await_beforeTheEnd_wokenWithTheResult() throws Exception {
    enqueue(aTask("t1").build());
    Lease lease = take();
    BackgroundCall<Optional<TaskInfo>> waiter =
        BackgroundCall.call(
            "await t1", () -> lookup.await(QUEUE, new TaskId("t1"), Duration.ofSeconds(20)));
    Thread.sleep(200); // let it start waiting; the answer must not depend on it
    assertThat(waiter.isDone()).isFalse();

    lookup.complete(List.of(done(lease, "out")));

    Optional<TaskInfo> info = waiter.result(PATIENCE);
    assertThat(info).hasValueSatisfying(i -> assertThat(i.state()).isEqualTo(TaskState.SUCCEEDED));
    assertThat(info.get().result()).contains(Payload.ofUtf8("out"));
  }

  @Test
  void await_unknownYet_thenEnqueuedAndDone() throws Exception {
    BackgroundCall<Optional<TaskInfo>> waiter =
        BackgroundCall.call(
            "await t1", () -> lookup.await(QUEUE, new TaskId("t1"), Duration.ofSeconds(20)));
    Thread.sleep(100);
    enqueue(aTask("t1").build());
    broker.ack(take());

    assertThat(waiter.result(PATIENCE))
        .hasValueSatisfying(i -> assertThat(i.state()).isEqualTo(TaskState.SUCCEEDED));
  }

  @Test
  void await_timesOut_withinItsBound() throws Exception {
    enqueue(aTask("t1").build());
    Duration timeout = Duration.ofMillis(400);

    long start = System.nanoTime();
    Optional<TaskInfo> info = lookup.await(QUEUE, new TaskId("t1"), timeout);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(info).isEmpty();
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(350));
    assertThat(took).isLessThan(Duration.ofSeconds(3)); // loaded machine: generous, yet bounded
    assertThat(lookup.await(QUEUE, new TaskId("nobody"), Duration.ZERO)).isEmpty();
  }

  @Test
  void await_dead_isTerminal() throws Exception {
    enqueue(aTask("t1").build());
    Lease lease = take();
    BackgroundCall<Optional<TaskInfo>> waiter =
        BackgroundCall.call(
            "await t1", () -> lookup.await(QUEUE, new TaskId("t1"), Duration.ofSeconds(20)));

    broker.deadLetter(lease, new Failure("E", "m", 1, clock.instant()));

    assertThat(waiter.result(PATIENCE))
        .hasValueSatisfying(i -> assertThat(i.state()).isEqualTo(TaskState.DEAD));
  }

  /**
   * An id enqueued again after its task succeeded is the new task's: await waits for the new run
   * instead of answering from the old record, and find tells the new task's state.
   */
  @Test
  void reusedId_awaitAndFind_preferTheLiveTask() throws Exception {
    enqueue(aTask("t1").build());
    lookup.complete(List.of(done(take(), "old")));
    enqueue(aTask("t1").build());

    assertThat(lookup.await(QUEUE, new TaskId("t1"), Duration.ofMillis(300))).isEmpty();
    assertThat(find("t1").state()).isEqualTo(TaskState.READY);

    lookup.complete(List.of(done(take(), "new")));
    assertThat(lookup.await(QUEUE, new TaskId("t1"), PATIENCE))
        .hasValueSatisfying(i -> assertThat(i.result()).contains(Payload.ofUtf8("new")));
  }

  @Test
  void await_brokerClosed_waiterLeavesAtOnce() throws Exception {
    enqueue(aTask("t1").build());
    BackgroundCall<Optional<TaskInfo>> waiter =
        BackgroundCall.call(
            "await t1", () -> lookup.await(QUEUE, new TaskId("t1"), Duration.ofMinutes(10)));
    Thread.sleep(200);

    broker.close();

    assertThat(waiter.failure(PATIENCE)).isInstanceOf(BrokerClosedException.class);
  }

  /**
   * Both brokers cancel too ({@link TaskCancels}): a cancel is an end that lookup and await see.
   */
  @Test
  void cancelled_waiting_foundCancelled_andEndsAwait() throws Exception {
    enqueue(aTask("t1").build());
    BackgroundCall<Optional<TaskInfo>> waiter =
        BackgroundCall.call(
            "await t1", () -> lookup.await(QUEUE, new TaskId("t1"), Duration.ofSeconds(20)));
    Thread.sleep(100);

    assertThat(((TaskCancels) broker).cancel(QUEUE, new TaskId("t1")))
        .isEqualTo(CancelOutcome.CANCELLED);

    assertThat(waiter.result(PATIENCE))
        .hasValueSatisfying(i -> assertThat(i.state()).isEqualTo(TaskState.CANCELLED));
    TaskInfo info = find("t1");
    assertThat(info.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(info.attempt()).isZero();
    assertThat(info.startedAt()).isEmpty();
  }

  @Test
  void cancelled_running_settled_recordKeepsItsStart() throws Exception {
    enqueue(aTask("t1").build());
    Lease lease = take();
    java.time.Instant startedAt = clock.instant();
    clock.advance(Duration.ofSeconds(2));
    TaskCancels cancels = (TaskCancels) broker;
    assertThat(cancels.cancel(QUEUE, new TaskId("t1"))).isEqualTo(CancelOutcome.REQUESTED);
    assertThat(find("t1").state()).isEqualTo(TaskState.ACTIVE);

    cancels.settleCancelled(lease);

    TaskInfo info = find("t1");
    assertThat(info.state()).isEqualTo(TaskState.CANCELLED);
    assertThat(info.attempt()).isEqualTo(1);
    assertThat(info.startedAt()).contains(startedAt);
    assertThat(info.finishedAt()).contains(clock.instant());
    assertThat(info.result()).isEmpty();
  }

  @Test
  void findAll_mixedStates_oneAnswerEach() throws Exception {
    enqueue(aTask("r").build(), aTask("a").build());
    broker.enqueueIn(aTask("d").build(), Duration.ofMinutes(1), Duration.ZERO);
    Lease lease = take(); // r
    lookup.complete(List.of(done(lease, "x")));
    Lease active = take(); // a

    Map<TaskId, TaskInfo> found =
        lookup.findAll(
            QUEUE, List.of(new TaskId("r"), new TaskId("a"), new TaskId("d"), new TaskId("z")));

    assertThat(found).containsOnlyKeys(new TaskId("r"), new TaskId("a"), new TaskId("d"));
    assertThat(found.get(new TaskId("r")).state()).isEqualTo(TaskState.SUCCEEDED);
    assertThat(found.get(new TaskId("a")).state()).isEqualTo(TaskState.ACTIVE);
    assertThat(found.get(new TaskId("d")).state()).isEqualTo(TaskState.DELAYED);
    broker.ack(active);
  }

  protected TaskInfo find(String id) {
    return lookup
        .find(QUEUE, new TaskId(id))
        .orElseThrow(() -> new AssertionError(id + " unknown"));
  }

  protected void enqueue(Task... tasks) throws InterruptedException {
    broker.enqueueAll(List.of(tasks), Duration.ZERO);
  }

  protected Lease take() throws InterruptedException {
    return broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
  }

  protected static Completion done(Lease lease, String result) {
    return new Completion(lease, Optional.of(Payload.ofUtf8(result)));
  }
}
