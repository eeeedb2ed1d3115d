package dev.dq.adapter.memory;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.DuplicateTaskException;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.TaskLimits;
import dev.dq.testing.BrokerContract;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class InMemoryBrokerTest extends BrokerContract {
  private InMemoryBroker memory;

  @Override
  protected Broker createBroker(InstantSource clock, int capacityPerQueue) {
    memory = InMemoryBroker.builder().clock(clock).capacity(capacityPerQueue).build();
    return memory;
  }

  @AfterEach
  void noLeakedLeases() {
    memory.assertNoLeakedLeases(); // runs before the contract's teardown closes the broker
  }

  @Test
  void queues_afterEnqueues_listsEachQueueOnceSorted() throws Exception {
    broker.enqueue(aTask("q1").queue("zeta").build(), Duration.ZERO);
    broker.enqueue(aTask("q2").queue("alpha").build(), Duration.ZERO);
    broker.enqueue(aTask("q3").queue("zeta").build(), Duration.ZERO);

    assertThat(broker.queues()).containsExactly("alpha", "zeta");
  }

  @Test
  void builder_capacityBelowOne_rejectsValueAtOnce() {
    assertThatThrownBy(() -> InMemoryBroker.builder().capacity(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity must be >= 1: 0");
  }

  @Test
  void builder_nullClockOrLimits_rejectsAtOnce() {
    assertThatThrownBy(() -> InMemoryBroker.builder().clock(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("clock");
    assertThatThrownBy(() -> InMemoryBroker.builder().limits(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("limits");
  }

  @Test
  void builder_limits_appliesThemOnEnqueue() {
    InMemoryBroker small =
        InMemoryBroker.builder()
            .clock(clock)
            .limits(TaskLimits.DEFAULT.withMaxPayloadBytes(3))
            .build();

    assertThatThrownBy(() -> small.enqueue(aTask("t1").payload("four").build(), Duration.ZERO))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("t1")
        .hasMessageContaining("4 bytes")
        .hasMessageContaining("3 bytes");
    small.close();
  }

  @Test
  void dequeue_negativeWaitOrNonPositiveLease_rejected() {
    assertThatThrownBy(() -> broker.dequeue(QUEUE, LEASE, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("wait must be >= 0: PT-0.001S");
    assertThatThrownBy(() -> broker.dequeue(QUEUE, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaseTime must be > 0: PT0S");
  }

  @Test
  void enqueueAll_emptyBatchAfterClose_throwsBrokerClosed() {
    broker.close();

    assertThatThrownBy(() -> broker.enqueueAll(List.of(), Duration.ZERO))
        .isInstanceOf(BrokerClosedException.class);
  }

  @Test
  void assertNoLeakedLeases_leaseNotSettled_namesTask() throws Exception {
    enqueue("leaky-1");
    Lease lease = take(QUEUE);

    assertThatThrownBy(() -> memory.assertNoLeakedLeases())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("leaky-1");

    broker.ack(lease);
    memory.assertNoLeakedLeases();
  }

  @Test
  void deadLetterQueueAdd_idLiveInQueue_throwsDuplicate() throws Exception {
    enqueue("t1");
    DeadLetter entry =
        new DeadLetter(aTask("t1").build(), new Failure("no-handler", "", 1, clock.instant()));

    assertThatThrownBy(() -> memory.deadLetterQueue().add(entry))
        .isInstanceOf(DuplicateTaskException.class);

    assertThat(memory.deadLetterQueue().size(QUEUE)).isZero();
    assertStats(1, 0, 0);
  }
}
