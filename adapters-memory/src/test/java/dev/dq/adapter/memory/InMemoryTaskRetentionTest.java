package dev.dq.adapter.memory;

import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.task.TaskId;
import dev.dq.testing.BrokerAndDeadLetters;
import dev.dq.testing.TaskFixtures;
import dev.dq.testing.TaskRetentionContract;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class InMemoryTaskRetentionTest extends TaskRetentionContract {
  private InMemoryBroker memory;

  @Override
  protected BrokerAndDeadLetters create(InstantSource clock) {
    memory = InMemoryBroker.builder().clock(clock).build();
    return new BrokerAndDeadLetters(memory, memory.deadLetterQueue());
  }

  @Override
  protected void recordFinished(String queue, String id, Instant finishedAt) {
    memory.recordEnded(
        new TaskInfo(
            new TaskId(id),
            queue,
            TaskState.SUCCEEDED,
            TaskFixtures.TYPE,
            1,
            5,
            finishedAt,
            Map.of(),
            Optional.empty(),
            Optional.of(finishedAt),
            Optional.of(finishedAt),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()));
  }

  @Override
  protected List<String> leftOf(String queue, String id) {
    return memory.mentions(queue, new TaskId(id)) ? List.of(queue) : List.of();
  }
}
