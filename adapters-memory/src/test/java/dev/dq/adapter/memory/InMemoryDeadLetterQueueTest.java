package dev.dq.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.task.TaskId;
import dev.dq.testing.BrokerAndDeadLetters;
import dev.dq.testing.DeadLetterQueueContract;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class InMemoryDeadLetterQueueTest extends DeadLetterQueueContract {
  private InMemoryBroker memory;

  @Override
  protected BrokerAndDeadLetters create(InstantSource clock, int capacityPerQueue) {
    memory = InMemoryBroker.builder().clock(clock).capacity(capacityPerQueue).build();
    return new BrokerAndDeadLetters(memory, memory.deadLetterQueue());
  }

  @AfterEach
  void noLeakedLeases() {
    memory.assertNoLeakedLeases();
  }

  @Test
  void add_existingId_movesEntryToEnd() {
    addAll(QUEUE, "d1", "d2");

    deadLetters.add(entry(QUEUE, "d1", "again"));

    assertThat(deadLetters.list(QUEUE, 0, 10))
        .extracting(e -> e.task().id().value())
        .containsExactly("d2", "d1");
  }

  @Test
  void list_negativeOffsetOrLimit_rejected() {
    assertThatThrownBy(() -> deadLetters.list(QUEUE, -1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("offset must be >= 0: -1");
    assertThatThrownBy(() -> deadLetters.list(QUEUE, 0, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be >= 0: -1");
  }

  @Test
  void requeue_afterClose_throwsBrokerClosedAndEntryStays() {
    addAll(QUEUE, "d1");
    broker.close();

    assertThatThrownBy(() -> deadLetters.requeue(QUEUE, new TaskId("d1")))
        .isInstanceOf(BrokerClosedException.class);

    assertThat(deadLetters.size(QUEUE)).isEqualTo(1);
  }
}
