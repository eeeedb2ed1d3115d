package dev.dq.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.worker.HookedBroker.Op;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Batched acks whose outcome is unknown: the reply was lost, so the pool asks again. */
final class WorkerPoolAckTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final List<String> IDS = List.of("a1", "a2", "a3", "a4");

  private PoolHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  /**
   * Lets the first ackAll through (its reply is lost), then fails the next {@code failures} before
   * they arrive.
   */
  private static HookedBroker.Hook outageAfterFirstAck(AtomicInteger calls, int failures) {
    return () -> {
      int n = calls.incrementAndGet();
      if (n >= 2 && n <= 1 + failures) {
        throw new BrokerUnavailableException("injected: broker unreachable");
      }
    };
  }

  @Test
  void ackReplyLost_asksAgainUntilTheBrokerAnswers_thenReportsEachSuccessOnce() throws Exception {
    h = PoolHarness.onFakeTime();
    h.enqueue(IDS.toArray(String[]::new));
    var runs = new ConcurrentHashMap<TaskId, AtomicInteger>();
    var ackCalls = new AtomicInteger();
    h.hooked.loseAckReplies(1).before(Op.ACK_ALL, outageAfterFirstAck(ackCalls, 5));

    h.start(
        c -> c.workers(1).prefetch(4).ackBatch(4),
        b ->
            b.handler(
                "test",
                t -> runs.computeIfAbsent(t.id(), id -> new AtomicInteger()).incrementAndGet()));

    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 4);
    assertThat(ackCalls.get()).isGreaterThanOrEqualTo(7);
    assertThat(h.events.all(TaskEvent.LeaseLost.class)).isEmpty();
    assertThat(runs).hasSize(4).allSatisfy((id, n) -> assertThat(n.get()).isEqualTo(1));
    assertThat(h.stats()).isEqualTo(new QueueStats(Task.DEFAULT_QUEUE, 0, 0, 0));
    assertThat(h.warnings())
        .anySatisfy(line -> assertThat(line).contains("ack", "a1", "a2", "a3", "a4"));
  }

  @Test
  void ackOutcomeNeverLearned_keepsAskingUntilTheLeaseHasCertainlyExpired_thenGivesUpNamingTheIds()
      throws Exception {
    h = PoolHarness.onFakeTime(); // the scheduler is never advanced: no renewal gets through
    h.enqueue(IDS.toArray(String[]::new));
    var ackCalls = new AtomicInteger();
    h.hooked
        .loseAckReplies(1)
        .before(Op.ACK_ALL, outageAfterFirstAck(ackCalls, Integer.MAX_VALUE - 2));

    h.start(
        c -> c.workers(1).prefetch(4).ackBatch(4).leaseTime(Duration.ofSeconds(3)),
        b -> b.handler("test", t -> {}));

    await().atMost(WAIT).until(() -> ackCalls.get() >= 10);
    assertThat(h.pool.heldTasks()).as("still awaiting an answer, leases renewed").isEqualTo(4);
    assertThat(h.events.all(TaskEvent.Succeeded.class)).isEmpty();

    h.clock.advance(Duration.ofSeconds(4)); // no renewal got through for longer than a lease

    await().atMost(WAIT).until(() -> h.pool.heldTasks() == 0);
    assertThat(h.events.all(TaskEvent.LeaseLost.class))
        .extracting(e -> e.task().id().value())
        .containsExactlyInAnyOrderElementsOf(IDS);
    assertThat(h.warnings())
        .anySatisfy(line -> assertThat(line).contains("gave up", "a1", "a2", "a3", "a4"));
  }
}
