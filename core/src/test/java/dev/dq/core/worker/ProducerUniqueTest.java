package dev.dq.core.worker;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.lifecycle.UniqueOutcome;
import dev.dq.core.lifecycle.UniqueTasks;
import dev.dq.core.port.Broker;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.testing.FakeBroker;
import dev.dq.testing.FakeClock;
import dev.dq.testing.ForwardingBroker;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ProducerUniqueTest {
  private final FakeBroker fake = new FakeBroker(FakeClock.at("2024-01-01T00:00:00Z"));
  private final RecordingListener events = new RecordingListener();

  /** Takes each key once (no release): enough to see what the producer reports. */
  private static final class KeyedBroker extends ForwardingBroker implements UniqueTasks {
    private final Map<String, TaskId> taken = new HashMap<>();

    KeyedBroker(Broker delegate) {
      super(delegate);
    }

    @Override
    public synchronized UniqueOutcome enqueueUnique(
        Task task, UniqueKey key, Duration delay, Duration timeout) throws InterruptedException {
      TaskId holder = taken.get(key.key());
      if (holder != null) {
        return new UniqueOutcome(holder, false);
      }
      delegate.enqueue(task, timeout);
      taken.put(key.key(), task.id());
      return new UniqueOutcome(task.id(), true);
    }
  }

  @Test
  void publishUnique_reportsEnqueued_thenUniqueHitWithTheHolder() throws Exception {
    Producer producer = new Producer(new KeyedBroker(fake), events);
    Task first = aTask("t1").build();
    Task second = aTask("t2").build();

    producer.publishUnique(first, UniqueKey.untilDone("k"), Duration.ZERO, Duration.ZERO);
    UniqueOutcome hit =
        producer.publishUnique(second, UniqueKey.untilDone("k"), Duration.ZERO, Duration.ZERO);

    assertThat(hit).isEqualTo(new UniqueOutcome(new TaskId("t1"), false));
    assertThat(events.all(TaskEvent.Enqueued.class)).containsExactly(new TaskEvent.Enqueued(first));
    assertThat(events.all(TaskEvent.UniqueHit.class))
        .containsExactly(new TaskEvent.UniqueHit(second, new TaskId("t1")));
  }

  @Test
  void publishUnique_brokerWithoutUniqueTasks_refuses() {
    Producer producer = new Producer(fake, events);

    assertThatThrownBy(
            () ->
                producer.publishUnique(
                    aTask("t1").build(), UniqueKey.untilDone("k"), Duration.ZERO, Duration.ZERO))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(fake.stats(Task.DEFAULT_QUEUE).ready()).isZero();
  }
}
