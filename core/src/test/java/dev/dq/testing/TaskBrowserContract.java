package dev.dq.testing;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.lifecycle.TaskCancels;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.ops.TaskBrowser;
import dev.dq.core.ops.TaskPage;
import dev.dq.core.port.Broker;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every broker that offers {@link TaskBrowser} must do: each listing in its documented order,
 * paged by offset and limit, with the listing's total. An adapter's test extends it and supplies
 * {@link #createBroker} (a broker that also offers {@link TaskCancels}); time comes only from
 * {@link #clock}.
 */
public abstract class TaskBrowserContract {
  protected static final String QUEUE = Task.DEFAULT_QUEUE;
  protected static final Duration LEASE = Duration.ofSeconds(30);

  protected final FakeClock clock = FakeClock.at(TaskFixtures.EPOCH);
  protected Broker broker;
  protected TaskBrowser browser;

  /** A new, empty broker that offers {@link TaskBrowser} and reads time only from {@code clock}. */
  protected abstract Broker createBroker(InstantSource clock);

  @BeforeEach
  final void createDefaultBroker() {
    broker = createBroker(clock);
    browser = (TaskBrowser) broker;
  }

  @AfterEach
  final void closeBroker() {
    broker.close();
  }

  @Test
  void ready_highestPriorityFirst_oldestFirstWithin_pagedWithTotal() throws Exception {
    enqueue(
        aTask("t1").build(),
        aTask("t2").priority(7).build(),
        aTask("t3").build(),
        aTask("t4").priority(0).build(),
        aTask("t5").priority(7).build());

    assertThat(ids(TaskState.READY, 0, 10)).containsExactly("t2", "t5", "t1", "t3", "t4");
    TaskPage middle = browser.list(QUEUE, TaskState.READY, 1, 3);
    assertThat(middle.total()).isEqualTo(5);
    assertThat(middle.tasks()).extracting(t -> t.id().value()).containsExactly("t5", "t1", "t3");
    assertThat(middle.tasks()).allMatch(t -> t.state() == TaskState.READY);
    assertThat(ids(TaskState.READY, 4, 10)).containsExactly("t4");
    TaskPage past = browser.list(QUEUE, TaskState.READY, 5, 10);
    assertThat(past.total()).isEqualTo(5);
    assertThat(past.tasks()).isEmpty();
  }

  @Test
  void ready_everyPageOfALongQueue_coversEachTaskOnce() throws Exception {
    for (int i = 0; i < 25; i++) {
      enqueue(aTask(String.format("t%02d", i)).priority(i % 3 == 0 ? 6 : 5).build());
    }
    List<String> seen = new java.util.ArrayList<>();
    for (int offset = 0; offset < 25; offset += 7) {
      seen.addAll(ids(TaskState.READY, offset, 7));
    }
    assertThat(seen).hasSize(25).doesNotHaveDuplicates();
    assertThat(seen.subList(0, 9)).allMatch(id -> Integer.parseInt(id.substring(1)) % 3 == 0);
  }

  @Test
  void scheduled_delayedAndRetryingTogether_soonestFirst() throws Exception {
    broker.enqueueIn(aTask("late").build(), Duration.ofMinutes(2), Duration.ZERO);
    broker.enqueueIn(aTask("soon").build(), Duration.ofMinutes(1), Duration.ZERO);
    enqueue(aTask("failing").build());
    Lease lease = take();
    broker.retryLater(lease, Duration.ofSeconds(30), new Failure("E", "boom", 1, clock.instant()));

    TaskPage page = browser.list(QUEUE, TaskState.DELAYED, 0, 10);

    assertThat(page.total()).isEqualTo(3);
    assertThat(page.tasks())
        .extracting(t -> t.id().value() + ":" + t.state())
        .containsExactly("failing:RETRYING", "soon:DELAYED", "late:DELAYED");
    assertThat(browser.list(QUEUE, TaskState.RETRYING, 1, 1).tasks())
        .extracting(t -> t.id().value())
        .containsExactly("soon");
  }

  @Test
  void active_byLeaseExpiry_andDead_oldestFirst() throws Exception {
    enqueue(aTask("a").build(), aTask("b").build(), aTask("c").build());
    Lease a = take();
    clock.advance(Duration.ofSeconds(1));
    Lease b = take();

    assertThat(ids(TaskState.ACTIVE, 0, 10)).containsExactly("a", "b");
    assertThat(browser.list(QUEUE, TaskState.ACTIVE, 0, 10).total()).isEqualTo(2);

    broker.deadLetter(b, new Failure("E", "first", 1, clock.instant()));
    clock.advance(Duration.ofSeconds(1));
    broker.deadLetter(a, new Failure("E", "second", 1, clock.instant()));

    TaskPage dead = browser.list(QUEUE, TaskState.DEAD, 0, 10);
    assertThat(dead.total()).isEqualTo(2);
    assertThat(dead.tasks())
        .extracting(t -> t.id().value() + ":" + t.state())
        .containsExactly("b:DEAD", "a:DEAD");
    assertThat(ids(TaskState.ACTIVE, 0, 10)).isEmpty();
    assertThat(ids(TaskState.READY, 0, 10)).containsExactly("c");
  }

  @Test
  void finished_succeededAndCancelledTogether_newestFirst() throws Exception {
    enqueue(aTask("first").build(), aTask("second").build(), aTask("dropped").build());
    broker.ack(take());
    clock.advance(Duration.ofSeconds(1));
    broker.ack(take());
    clock.advance(Duration.ofSeconds(1));
    ((TaskCancels) broker).cancel(QUEUE, new TaskId("dropped"));

    TaskPage page = browser.list(QUEUE, TaskState.SUCCEEDED, 0, 10);

    assertThat(page.total()).isEqualTo(3);
    assertThat(page.tasks())
        .extracting(t -> t.id().value() + ":" + t.state())
        .containsExactly("dropped:CANCELLED", "second:SUCCEEDED", "first:SUCCEEDED");
    assertThat(browser.list(QUEUE, TaskState.CANCELLED, 2, 5).tasks())
        .extracting(TaskInfo::id)
        .containsExactly(new TaskId("first"));
  }

  @Test
  void unknownQueue_emptyListing() {
    for (TaskState state : TaskState.values()) {
      TaskPage page = browser.list("nothing-here", state, 0, 10);
      assertThat(page.total()).isZero();
      assertThat(page.tasks()).isEmpty();
    }
  }

  @Test
  void badPage_refused() {
    assertThatThrownBy(() -> browser.list(QUEUE, TaskState.READY, -1, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> browser.list(QUEUE, TaskState.READY, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> browser.list(QUEUE, TaskState.READY, 0, TaskBrowser.MAX_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private List<String> ids(TaskState state, long offset, int limit) {
    return browser.list(QUEUE, state, offset, limit).tasks().stream()
        .map(t -> t.id().value())
        .toList();
  }

  protected void enqueue(Task... tasks) throws InterruptedException {
    broker.enqueueAll(List.of(tasks), Duration.ZERO);
  }

  protected Lease take() throws InterruptedException {
    return broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
  }
}
