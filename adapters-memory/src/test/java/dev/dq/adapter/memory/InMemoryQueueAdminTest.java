package dev.dq.adapter.memory;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.port.Broker;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.QueueAdmin;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link QueueAdmin} capability of the in-memory broker, as tools (bench) reach it through the
 * port.
 */
final class InMemoryQueueAdminTest {
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final InMemoryBroker memory = InMemoryBroker.builder().build();
  private final Broker broker = memory;

  @AfterEach
  void tearDown() {
    memory.assertNoLeakedLeases();
    memory.close();
  }

  private QueueAdmin admin() {
    assertThat(broker).isInstanceOf(QueueAdmin.class);
    return (QueueAdmin) broker;
  }

  @Test
  void deleteQueue_emptiedQueue_isNoLongerListed() throws Exception {
    broker.enqueue(aTask("t1").queue("bench").build(), Duration.ZERO);
    broker.ack(broker.dequeue("bench", LEASE, Duration.ZERO).orElseThrow());
    broker.enqueue(aTask("t2").queue("other").build(), Duration.ZERO);

    admin().deleteQueue("bench");

    assertThat(broker.queues()).containsExactly("other");
    assertThat(broker.stats("bench").ready()).isZero();
  }

  @Test
  void deleteQueue_queueHoldingTasks_throwsNamingTheCountsAndKeepsThem() throws Exception {
    broker.enqueue(aTask("t1").queue("bench").build(), Duration.ZERO);
    broker.enqueue(aTask("t2").queue("bench").build(), Duration.ZERO);
    Lease lease = broker.dequeue("bench", LEASE, Duration.ZERO).orElseThrow();

    assertThatThrownBy(() -> admin().deleteQueue("bench"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("queue bench is not empty: 1 ready, 0 delayed, 1 in flight, 0 dead");

    assertThat(broker.queues()).containsExactly("bench");
    assertThat(broker.stats("bench").ready()).isEqualTo(1);
    broker.ack(lease);
  }

  @Test
  void deleteQueue_queueWithDeadLetters_throwsAndKeepsThem() throws Exception {
    broker.enqueue(aTask("t1").queue("bench").build(), Duration.ZERO);
    broker.deadLetter(
        broker.dequeue("bench", LEASE, Duration.ZERO).orElseThrow(),
        Failure.of(new IllegalStateException("boom"), 1, Instant.EPOCH));

    assertThatThrownBy(() -> admin().deleteQueue("bench"))
        .hasMessageEndingWith("0 in flight, 1 dead");

    assertThat(memory.deadLetterQueue().size("bench")).isEqualTo(1);
  }

  @Test
  void deleteQueue_unknownQueue_changesNothing() throws Exception {
    broker.enqueue(aTask("t1").queue("kept").build(), Duration.ZERO);

    admin().deleteQueue("never-used");

    assertThat(broker.queues()).containsExactly("kept");
    assertThat(broker.stats("kept").ready()).isEqualTo(1);
  }

  @Test
  void usedMemoryBytes_sharedHeap_cannotTell() {
    assertThat(admin().usedMemoryBytes()).isEqualTo(-1);
  }
}
