package dev.dq.testing;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.DeadLetterFilter;
import dev.dq.core.port.DeadLetterMark;
import dev.dq.core.port.DeadLetterPage;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.DuplicateTaskException;
import dev.dq.core.port.Failure;
import dev.dq.core.port.InvalidDeadLetterQueryException;
import dev.dq.core.port.Lease;
import dev.dq.core.port.QueueFullException;
import dev.dq.core.port.QueueStats;
import dev.dq.core.port.TaskNotFoundException;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeadLetterQueue} must do, together with the {@link Broker} that feeds it. An
 * adapter's test extends it and supplies {@link #create}. Every test settles every lease it takes.
 */
public abstract class DeadLetterQueueContract {
  protected static final String QUEUE = Task.DEFAULT_QUEUE;
  protected static final String OTHER_QUEUE = "other";
  protected static final int LARGE_CAPACITY = 1_000;
  protected static final int SMALL_CAPACITY = 4;
  protected static final Duration LEASE = Duration.ofSeconds(30);

  /**
   * Enough dead letters that a bulk action takes several steps on a broker that pages through them.
   */
  protected static final int SNAPSHOT_ENTRIES = 300;

  protected final FakeClock clock = FakeClock.at(TaskFixtures.EPOCH);
  protected Broker broker;
  protected DeadLetterQueue deadLetters;

  /**
   * A new, empty broker (default task limits, time only from {@code clock}, at most {@code
   * capacityPerQueue} waiting tasks per queue) and the dead-letter queue its {@link
   * Broker#deadLetter} writes to.
   */
  protected abstract BrokerAndDeadLetters create(InstantSource clock, int capacityPerQueue);

  @BeforeEach
  final void createDefault() {
    use(create(clock, LARGE_CAPACITY));
  }

  @AfterEach
  final void closeBroker() {
    broker.close();
  }

  /** Replaces the default pair with an empty one of {@code capacityPerQueue}. */
  protected final void useCapacity(int capacityPerQueue) {
    broker.close();
    use(create(clock, capacityPerQueue));
  }

  private void use(BrokerAndDeadLetters pair) {
    broker = pair.broker();
    deadLetters = pair.deadLetters();
  }

  @Test
  void deadLetter_viaBroker_storesTaskWithFailure() throws Exception {
    broker.enqueue(aTask("t1").payload("data").attempt(3).build(), Duration.ZERO);
    Lease lease = take(QUEUE);
    Failure failure = new Failure("java.io.IOException", "disk on fire", 3, clock.instant());

    broker.deadLetter(lease, failure);

    Optional<DeadLetter> entry = deadLetters.get(QUEUE, new TaskId("t1"));
    assertThat(entry).contains(new DeadLetter(lease.task(), failure));
    assertThat(entry.orElseThrow().failure().errorType()).isEqualTo("java.io.IOException");
    assertThat(entry.orElseThrow().failure().message()).isEqualTo("disk on fire");
    assertThat(entry.orElseThrow().failure().attempts()).isEqualTo(3);
    assertThat(deadLetters.size(QUEUE)).isEqualTo(1);
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 0, 0, 0));
  }

  @Test
  void list_severalEntries_pagesOldestFirst() {
    addAll(QUEUE, "d1", "d2", "d3", "d4", "d5");

    assertThat(ids(deadLetters.list(QUEUE, 0, 2))).containsExactly("d1", "d2");
    assertThat(ids(deadLetters.list(QUEUE, 2, 2))).containsExactly("d3", "d4");
    assertThat(ids(deadLetters.list(QUEUE, 4, 2))).containsExactly("d5");
    assertThat(deadLetters.list(QUEUE, 5, 2)).isEmpty();
    assertThat(ids(deadLetters.list(QUEUE, 0, 100))).containsExactly("d1", "d2", "d3", "d4", "d5");
  }

  @Test
  void list_zeroLimit_returnsNothing() {
    addAll(QUEUE, "d1");

    assertThat(deadLetters.list(QUEUE, 0, 0)).isEmpty();
  }

  @Test
  void add_existingId_replacesEntry() {
    addAll(QUEUE, "d1");
    DeadLetter newer = entry(QUEUE, "d1", "second failure");

    deadLetters.add(newer);

    assertThat(deadLetters.size(QUEUE)).isEqualTo(1);
    assertThat(deadLetters.get(QUEUE, new TaskId("d1"))).contains(newer);
  }

  @Test
  void add_existingId_replacedEntryCountsAsNewest() {
    addAll(QUEUE, "d1", "d2");

    deadLetters.add(entry(QUEUE, "d1", "second failure"));

    assertThat(ids(deadLetters.list(QUEUE, 0, 10))).containsExactly("d2", "d1");
  }

  @Test
  void add_idLiveInItsQueue_throwsDuplicateAndChangesNothing() throws Exception {
    broker.enqueue(aTask("held").build(), Duration.ZERO);
    Lease held = take(QUEUE);
    broker.enqueue(aTask("ready").build(), Duration.ZERO);

    assertThatThrownBy(() -> deadLetters.add(entry(QUEUE, "ready", "not dead")))
        .isInstanceOf(DuplicateTaskException.class);
    assertThatThrownBy(() -> deadLetters.add(entry(QUEUE, "held", "not dead")))
        .isInstanceOf(DuplicateTaskException.class);

    assertThat(deadLetters.size(QUEUE)).isZero();
    assertThat(deadLetters.get(QUEUE, new TaskId("ready"))).isEmpty();
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 1, 1, 0));
    broker.ack(held);
    assertThat(takeAndAckAll(QUEUE)).containsExactly("ready");
  }

  @Test
  void size_twoQueues_countsEachSeparately() {
    addAll(QUEUE, "d1", "d2");
    addAll(OTHER_QUEUE, "o1");

    assertThat(deadLetters.size(QUEUE)).isEqualTo(2);
    assertThat(deadLetters.size(OTHER_QUEUE)).isEqualTo(1);
    assertThat(ids(deadLetters.list(OTHER_QUEUE, 0, 10))).containsExactly("o1");
    assertThat(deadLetters.size("never-used")).isZero();
  }

  @Test
  void get_unknownId_returnsEmpty() {
    addAll(QUEUE, "d1");

    assertThat(deadLetters.get(QUEUE, new TaskId("nope"))).isEmpty();
    assertThat(deadLetters.get(OTHER_QUEUE, new TaskId("d1"))).isEmpty();
  }

  @Test
  void delete_existingEntry_removesItOnce() {
    addAll(QUEUE, "d1", "d2");

    assertThat(deadLetters.delete(QUEUE, new TaskId("d1"))).isTrue();
    assertThat(deadLetters.delete(QUEUE, new TaskId("d1"))).isFalse();

    assertThat(ids(deadLetters.list(QUEUE, 0, 10))).containsExactly("d2");
  }

  @Test
  void delete_entry_freesIdForEnqueue() throws Exception {
    deadLetterViaBroker("t1");

    deadLetters.delete(QUEUE, new TaskId("t1"));

    broker.enqueue(aTask("t1").build(), Duration.ZERO);
    assertThat(broker.stats(QUEUE).ready()).isEqualTo(1);
  }

  @Test
  void purge_queue_removesOnlyItsEntriesAndCountsThem() {
    addAll(QUEUE, "d1", "d2", "d3");
    addAll(OTHER_QUEUE, "o1");

    assertThat(deadLetters.purge(QUEUE)).isEqualTo(3);

    assertThat(deadLetters.size(QUEUE)).isZero();
    assertThat(deadLetters.size(OTHER_QUEUE)).isEqualTo(1);
    assertThat(deadLetters.purge(QUEUE)).isZero();
  }

  @Test
  void requeue_entry_returnsTaskReadyNowWithAttemptOne() throws Exception {
    Task task = aTask("t1").payload("data").header("k", "v").attempt(3).build();
    broker.enqueue(task, Duration.ZERO);
    Lease lease = take(QUEUE);
    broker.deadLetter(lease, failure());

    deadLetters.requeue(QUEUE, new TaskId("t1"));

    assertThat(deadLetters.get(QUEUE, new TaskId("t1"))).isEmpty();
    assertThat(deadLetters.size(QUEUE)).isZero();
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 1, 0, 0));
    Lease again = take(QUEUE);
    assertThat(again.task()).isEqualTo(task.withAttempt(1));
    broker.ack(again);
  }

  @Test
  void requeue_addedEntry_goesToTailOfItsQueue() throws Exception {
    broker.enqueue(aTask("t1").build(), Duration.ZERO);
    addAll(QUEUE, "d1");

    deadLetters.requeue(QUEUE, new TaskId("d1"));

    assertThat(takeAndAckAll(QUEUE)).containsExactly("t1", "d1");
  }

  @Test
  void requeue_unknownId_throwsTaskNotFound() {
    addAll(QUEUE, "d1");

    assertThatThrownBy(() -> deadLetters.requeue(QUEUE, new TaskId("nope")))
        .isInstanceOf(TaskNotFoundException.class);
    assertThatThrownBy(() -> deadLetters.requeue(OTHER_QUEUE, new TaskId("d1")))
        .isInstanceOf(TaskNotFoundException.class);
  }

  @Test
  void requeue_queueFull_throwsQueueFullAndEntryStays() throws Exception {
    useCapacity(SMALL_CAPACITY);
    addAll(QUEUE, "d1");
    for (String id : List.of("t1", "t2", "t3", "t4")) {
      broker.enqueue(aTask(id).build(), Duration.ZERO);
    }

    assertThatThrownBy(() -> deadLetters.requeue(QUEUE, new TaskId("d1")))
        .isInstanceOf(QueueFullException.class);

    assertThat(deadLetters.get(QUEUE, new TaskId("d1"))).isPresent();
    assertThat(broker.stats(QUEUE).ready()).isEqualTo(4);
  }

  @Test
  void requeueAll_limitedRoom_movesOldestWhileRoomAndCounts() throws Exception {
    useCapacity(SMALL_CAPACITY);
    broker.enqueue(aTask("t1").build(), Duration.ZERO);
    broker.enqueue(aTask("t2").build(), Duration.ZERO);
    addAll(QUEUE, "d1", "d2", "d3", "d4", "d5");

    assertThat(deadLetters.requeueAll(QUEUE)).isEqualTo(2);

    assertThat(ids(deadLetters.list(QUEUE, 0, 10))).containsExactly("d3", "d4", "d5");
    assertThat(takeAndAckAll(QUEUE)).containsExactly("t1", "t2", "d1", "d2");
  }

  @Test
  void requeueAll_enoughRoom_movesEverything() throws Exception {
    addAll(QUEUE, "d1", "d2", "d3");
    addAll(OTHER_QUEUE, "o1");

    assertThat(deadLetters.requeueAll(QUEUE)).isEqualTo(3);

    assertThat(deadLetters.size(QUEUE)).isZero();
    assertThat(deadLetters.size(OTHER_QUEUE)).isEqualTo(1);
    assertThat(takeAndAckAll(QUEUE)).containsExactly("d1", "d2", "d3");
    assertThat(deadLetters.requeueAll(QUEUE)).isZero();
  }

  @Test
  void requeueAll_entriesDyingAgainMeanwhile_movesEachEntryPresentAtStartOnce() throws Exception {
    String[] ids = numbered("d", SNAPSHOT_ENTRIES);
    for (String id : ids) {
      deadLetterViaBroker(
          id); // also warms up the worker's path, so it fails tasks while requeueAll still runs
    }
    Map<String, Integer> runs = new ConcurrentHashMap<>();
    AtomicBoolean requeueDone = new AtomicBoolean();
    // A worker whose handler always fails: each task it takes goes straight back to the dead-letter
    // queue, as with
    // `dq run` serving `fail` tasks. It stops once every requeued task is dead again.
    BackgroundCall<Void> worker =
        BackgroundCall.run(
            "failing worker",
            () -> {
              while (true) {
                boolean done =
                    requeueDone
                        .get(); // read first: then an empty dequeue means nothing requeued is left
                Optional<Lease> lease = broker.dequeue(QUEUE, LEASE, Duration.ofMillis(100));
                if (lease.isEmpty()) {
                  if (done) {
                    return;
                  }
                  continue;
                }
                runs.merge(lease.get().task().id().value(), 1, Integer::sum);
                broker.deadLetter(lease.get(), failure());
              }
            });

    int moved = deadLetters.requeueAll(QUEUE);
    requeueDone.set(true);
    worker.result(Duration.ofSeconds(60));

    assertThat(moved).isEqualTo(SNAPSHOT_ENTRIES);
    assertThat(runs)
        .as("runs per task")
        .hasSize(SNAPSHOT_ENTRIES)
        .containsOnlyKeys(ids)
        .allSatisfy((id, n) -> assertThat(n).as("runs of %s", id).isEqualTo(1));
    assertThat(deadLetters.size(QUEUE)).isEqualTo(SNAPSHOT_ENTRIES);
  }

  @Test
  void purge_entriesAddedMeanwhile_deletesOnlyEntriesPresentAtStart() throws Exception {
    addAll(QUEUE, numbered("d", SNAPSHOT_ENTRIES));
    int later = 50;
    // Adds entries as soon as the purge has visibly begun (or ended, for a purge that runs in one
    // step).
    BackgroundCall<Void> adder =
        BackgroundCall.run(
            "adder",
            () -> {
              while (deadLetters.size(QUEUE) == SNAPSHOT_ENTRIES) {
                Thread.onSpinWait();
              }
              addAll(QUEUE, numbered("late", later));
            });

    long purged = deadLetters.purge(QUEUE);
    adder.result(Duration.ofSeconds(60));

    assertThat(purged).isEqualTo(SNAPSHOT_ENTRIES);
    assertThat(ids(deadLetters.list(QUEUE, 0, 2 * later))).containsExactly(numbered("late", later));
  }

  // --- filters and marks

  @Test
  void find_byType_returnsOnlyThatTypeOldestFirst() {
    addMixed();

    DeadLetterPage page = deadLetters.find(QUEUE, new DeadLetterFilter("mail", null), FIRST, 100);

    assertThat(ids(page.entries())).containsExactly("m1", "m2", "m3");
    assertThat(page.end()).isTrue();
    assertThat(page.scanned()).isEqualTo(6);
  }

  @Test
  void find_byErrorText_matchesTypeOrMessageIgnoringCase() {
    addMixed();

    assertThat(ids(find(new DeadLetterFilter(null, "TIMEOUT")))).containsExactly("m1", "s1");
    assertThat(ids(find(new DeadLetterFilter(null, "ioexception")))).containsExactly("m2", "s2");
    assertThat(ids(find(new DeadLetterFilter(null, "no such")))).isEmpty();
  }

  @Test
  void find_byTypeAndErrorText_needsBoth() {
    addMixed();

    assertThat(ids(find(new DeadLetterFilter("mail", "timeout")))).containsExactly("m1");
    assertThat(ids(find(new DeadLetterFilter("sms", "IOExc")))).containsExactly("s2");
  }

  @Test
  void find_all_isPlainPageWithMark() {
    addAll(QUEUE, "d1", "d2", "d3");

    DeadLetterPage page = deadLetters.find(QUEUE, DeadLetterFilter.ALL, FIRST, 2);

    assertThat(ids(page.entries())).containsExactly("d1", "d2");
    assertThat(page.end()).isFalse();
    assertThat(page.mark()).isEqualTo(deadLetters.mark(QUEUE));
    DeadLetterPage rest = deadLetters.find(QUEUE, DeadLetterFilter.ALL, page.nextCursor(), 2);
    assertThat(ids(rest.entries())).containsExactly("d3");
    assertThat(rest.end()).isTrue();
  }

  @Test
  void find_pagingWithCursor_reachesEveryMatchExactlyOnce() {
    List<String> matching = new ArrayList<>();
    for (int i = 1; i <= SNAPSHOT_ENTRIES; i++) {
      String type = i % 3 == 0 ? "mail" : "sms";
      deadLetters.add(entry(QUEUE, "d-" + i, type, "E", "failed"));
      if (i % 3 == 0) {
        matching.add("d-" + i);
      }
    }
    DeadLetterFilter mail = new DeadLetterFilter("mail", null);

    List<String> seen = new ArrayList<>();
    String cursor = FIRST;
    for (int steps = 0; steps <= SNAPSHOT_ENTRIES; steps++) {
      DeadLetterPage page = deadLetters.find(QUEUE, mail, cursor, 7);
      assertThat(page.entries()).hasSizeLessThanOrEqualTo(7);
      seen.addAll(ids(page.entries()));
      cursor = page.nextCursor();
      if (page.end()) {
        break;
      }
    }

    assertThat(seen).containsExactlyElementsOf(matching);
  }

  @Test
  void find_rareMatchBeyondScanLimit_takesBoundedSteps() {
    for (int i = 1; i <= DeadLetterQueue.SCAN_LIMIT + 10; i++) {
      deadLetters.add(entry(QUEUE, "s-" + i, "sms", "E", "failed"));
    }
    deadLetters.add(entry(QUEUE, "rare", "mail", "E", "failed"));
    DeadLetterFilter mail = new DeadLetterFilter("mail", null);

    DeadLetterPage first = deadLetters.find(QUEUE, mail, FIRST, 10);
    DeadLetterPage second = deadLetters.find(QUEUE, mail, first.nextCursor(), 10);

    assertThat(first.entries()).isEmpty();
    assertThat(first.scanned()).isEqualTo(DeadLetterQueue.SCAN_LIMIT);
    assertThat(first.end()).isFalse();
    assertThat(ids(second.entries())).containsExactly("rare");
    assertThat(second.scanned()).isEqualTo(11);
    assertThat(second.end()).isTrue();
  }

  @Test
  void find_neverUsedQueue_returnsEmptyEnd() {
    DeadLetterPage page = deadLetters.find("never-used", DeadLetterFilter.ALL, FIRST, 10);

    assertThat(page.entries()).isEmpty();
    assertThat(page.end()).isTrue();
    assertThat(page.mark()).isEqualTo(new DeadLetterMark("never-used", 0));
  }

  @Test
  void find_badCursorOrLimit_isRejected() {
    addAll(QUEUE, "d1");

    assertThatThrownBy(() -> deadLetters.find(QUEUE, DeadLetterFilter.ALL, "not-a-cursor", 10))
        .isInstanceOf(InvalidDeadLetterQueryException.class)
        .hasMessageContaining("not-a-cursor");
    assertThatThrownBy(() -> deadLetters.find(QUEUE, DeadLetterFilter.ALL, FIRST, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0");
    assertThatThrownBy(
            () ->
                deadLetters.find(
                    QUEUE, DeadLetterFilter.ALL, FIRST, DeadLetterQueue.FIND_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void requeueAll_filterAndMark_leavesLaterDeathsAndOtherTypesDead() throws Exception {
    addMixed();
    DeadLetterMark seen = deadLetters.find(QUEUE, DeadLetterFilter.ALL, FIRST, 10).mark();
    deadLetters.add(entry(QUEUE, "m-late", "mail", "java.net.SocketTimeoutException", "late"));

    int moved = deadLetters.requeueAll(QUEUE, new DeadLetterFilter("mail", null), seen);

    assertThat(moved).isEqualTo(3);
    assertThat(takeAndAckAll(QUEUE)).containsExactly("m1", "m2", "m3");
    assertThat(ids(deadLetters.list(QUEUE, 0, 10))).containsExactly("s1", "s2", "s3", "m-late");
  }

  @Test
  void requeueAll_entryDiedAgainAfterMark_staysDead() throws Exception {
    deadLetterViaBroker("t1");
    deadLetterViaBroker("t2");
    DeadLetterMark seen = deadLetters.mark(QUEUE);
    deadLetters.requeue(QUEUE, new TaskId("t1"));
    broker.deadLetter(take(QUEUE), failure()); // t1 dies again, after the mark

    assertThat(deadLetters.requeueAll(QUEUE, DeadLetterFilter.ALL, seen)).isEqualTo(1);

    assertThat(takeAndAckAll(QUEUE)).containsExactly("t2");
    assertThat(ids(deadLetters.list(QUEUE, 0, 10))).containsExactly("t1");
  }

  @Test
  void purge_filterAndMark_deletesOnlyMatchesSeen() {
    addMixed();
    DeadLetterMark seen = deadLetters.mark(QUEUE);
    deadLetters.add(entry(QUEUE, "s-late", "sms", "java.io.IOException", "late"));

    long purged = deadLetters.purge(QUEUE, new DeadLetterFilter(null, "IOEXCEPTION"), seen);

    assertThat(purged).isEqualTo(2);
    assertThat(ids(deadLetters.list(QUEUE, 0, 10)))
        .containsExactly("m1", "s1", "m3", "s3", "s-late");
  }

  @Test
  void purge_markBeforeAnyDeath_deletesNothing() {
    DeadLetterMark seen = deadLetters.mark(QUEUE);
    addAll(QUEUE, "d1", "d2");

    assertThat(deadLetters.purge(QUEUE, DeadLetterFilter.ALL, seen)).isZero();
    assertThat(deadLetters.requeueAll(QUEUE, DeadLetterFilter.ALL, seen)).isZero();

    assertThat(deadLetters.size(QUEUE)).isEqualTo(2);
  }

  @Test
  void bulk_markOfOtherQueueOrMadeUp_isRejectedAndChangesNothing() {
    addAll(QUEUE, "d1");
    addAll(OTHER_QUEUE, "o1");
    DeadLetterMark other = deadLetters.mark(OTHER_QUEUE);
    DeadLetterMark madeUp = new DeadLetterMark(QUEUE, 1_000_000);

    assertThatThrownBy(() -> deadLetters.purge(QUEUE, DeadLetterFilter.ALL, other))
        .isInstanceOf(InvalidDeadLetterQueryException.class)
        .hasMessageContaining(OTHER_QUEUE);
    assertThatThrownBy(() -> deadLetters.requeueAll(QUEUE, DeadLetterFilter.ALL, madeUp))
        .isInstanceOf(InvalidDeadLetterQueryException.class)
        .hasMessageContaining("1000000");
    assertThatThrownBy(() -> DeadLetterMark.parse("garbage", QUEUE))
        .isInstanceOf(InvalidDeadLetterQueryException.class)
        .hasMessageContaining("garbage");

    assertThat(deadLetters.size(QUEUE)).isEqualTo(1);
    assertThat(deadLetters.size(OTHER_QUEUE)).isEqualTo(1);
  }

  @Test
  void mark_token_roundTripsThroughParse() {
    addAll(QUEUE, "d1", "d2");
    DeadLetterMark mark = deadLetters.mark(QUEUE);

    assertThat(DeadLetterMark.parse(mark.token(), QUEUE)).isEqualTo(mark);
    assertThat(deadLetters.purge(QUEUE, DeadLetterFilter.ALL, mark)).isEqualTo(2);
  }

  // --- helpers

  private static final String FIRST = DeadLetterQueue.FIRST;

  /** m1 s1 m2 s2 m3 s3: types mail and sms; 1 timed out, 2 had an IOException, 3 a plain error. */
  private void addMixed() {
    for (int i = 1; i <= 3; i++) {
      String error =
          i == 1
              ? "java.net.SocketTimeoutException"
              : i == 2 ? "java.io.IOException" : "java.lang.IllegalStateException";
      String message = i == 1 ? "read timed out" : "failed";
      deadLetters.add(entry(QUEUE, "m" + i, "mail", error, message));
      deadLetters.add(entry(QUEUE, "s" + i, "sms", error, i == 1 ? "Timeout after 5s" : message));
    }
  }

  private List<DeadLetter> find(DeadLetterFilter filter) {
    return deadLetters.find(QUEUE, filter, FIRST, 100).entries();
  }

  protected final DeadLetter entry(
      String queue, String id, String type, String errorType, String message) {
    Task task = Task.builder(type).id(id).queue(queue).createdAt(TaskFixtures.EPOCH).build();
    return new DeadLetter(task, new Failure(errorType, message, 1, clock.instant()));
  }

  protected final Failure failure() {
    return new Failure("java.lang.IllegalStateException", "boom", 1, clock.instant());
  }

  protected final DeadLetter entry(String queue, String id, String message) {
    Task task = aTask(id).queue(queue).build();
    return new DeadLetter(
        task, new Failure("java.lang.IllegalStateException", message, 1, clock.instant()));
  }

  /** Adds entries directly, in this order. */
  protected final void addAll(String queue, String... ids) {
    for (String id : ids) {
      deadLetters.add(entry(queue, id, "failed " + id));
    }
  }

  /** Enqueues, dequeues and dead-letters a task through the broker. */
  protected final void deadLetterViaBroker(String id) throws InterruptedException {
    broker.enqueue(aTask(id).build(), Duration.ZERO);
    broker.deadLetter(take(QUEUE), failure());
  }

  /** Dequeues a task that must be ready now. */
  protected final Lease take(String queue) throws InterruptedException {
    return Takes.take(broker, queue, LEASE);
  }

  /** Dequeues and acks every task ready now, returning their ids in delivery order. */
  protected final List<String> takeAndAckAll(String queue) throws InterruptedException {
    return Takes.takeAndAckAll(broker, queue, LEASE);
  }

  /** {@code prefix-1 .. prefix-n}. */
  protected static String[] numbered(String prefix, int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + "-" + i).toArray(String[]::new);
  }

  private static List<String> ids(List<DeadLetter> entries) {
    return entries.stream().map(e -> e.task().id().value()).toList();
  }
}
