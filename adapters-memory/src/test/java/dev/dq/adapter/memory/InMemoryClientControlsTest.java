package dev.dq.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.client.DqClient;
import dev.dq.core.client.EnqueueOptions;
import dev.dq.core.client.TaskRef;
import dev.dq.core.lifecycle.DeleteOutcome;
import dev.dq.core.lifecycle.RunNowOutcome;
import dev.dq.core.lifecycle.TaskState;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Running a task now and deleting one through the typed client on the in-memory broker. */
final class InMemoryClientControlsTest {
  private final InMemoryBroker broker = InMemoryBroker.builder().build();
  private final DqClient client = DqClient.builder(broker).build();

  @AfterEach
  void tearDown() {
    broker.close();
  }

  @Test
  void delayedTask_runNow_thenDelete_goneForGood() throws Exception {
    TaskRef ref =
        client.enqueue("t", "a", EnqueueOptions.builder().delay(Duration.ofHours(1)).build());

    assertThat(client.runNow(ref)).isEqualTo(RunNowOutcome.MADE_READY);
    assertThat(client.find(ref).orElseThrow().state()).isEqualTo(TaskState.READY);
    assertThat(client.delete(ref)).isEqualTo(DeleteOutcome.DELETED);

    assertThat(client.find(ref)).isEmpty();
    assertThat(client.delete(ref)).isEqualTo(DeleteOutcome.NOT_FOUND);
    assertThat(broker.dequeue(ref.queue(), Duration.ofSeconds(30), Duration.ZERO)).isEmpty();
  }
}
