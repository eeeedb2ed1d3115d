package dev.dq.adapter.redis;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.lifecycle.DeleteOutcome;
import dev.dq.core.lifecycle.RunNowOutcome;
import dev.dq.core.port.BrokerFullException;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis at {@code maxmemory} (policy noeviction). extend.lua used to be refused (its first write,
 * ZADD XX, is deny-oom) while claims went on, so running tasks lost their leases and ran twice. Now
 * every script that settles or renews held tasks runs (allow-oom), and the ones that add work are
 * refused up front with a {@link BrokerFullException} that says what to do.
 */
final class OutOfMemoryIT {
  private static final String QUEUE = "oom";
  private static final Duration LEASE = Duration.ofSeconds(30);
  @RegisterExtension static final TestRedis redis = TestRedis.plain();

  @Test
  void atMaxmemory_renewalsAndSettlesWork_newWorkIsRefusedUntilMemoryIsFreed() throws Exception {
    try (RedisBroker broker = redis.broker(1000)) {
      for (int i = 0; i < 8; i++) {
        broker.enqueue(aTask("t" + i).queue(QUEUE).build(), Duration.ZERO);
      }
      List<Lease> held = broker.dequeueBatch(QUEUE, 6, LEASE, Duration.ZERO);
      assertThat(held).hasSize(6);
      broker.deadLetter(
          held.get(5), new Failure("test", "dead before the memory ran out", 1, Instant.now()));
      redis.runOutOfMemory();

      Lease extended = broker.extend(held.get(0), LEASE.multipliedBy(2));
      assertThat(extended.expiresAt()).isAfter(held.get(0).expiresAt());
      assertThat(broker.extendAll(List.of(held.get(1), held.get(2)), LEASE.multipliedBy(2)))
          .allSatisfy(l -> assertThat(l).isPresent());
      broker.ack(extended);
      assertThat(broker.ackAll(List.of(held.get(1)))).isEmpty();
      broker.retryLater(held.get(2), Duration.ZERO);
      broker.release(held.get(3), Duration.ZERO);
      assertThat(broker.reclaimExpiredLeases()).isZero();
      assertThat(broker.deadLetterQueue().purge(QUEUE))
          .as("dq dlq purge frees memory at maxmemory")
          .isEqualTo(1);

      assertThatThrownBy(() -> broker.dequeue(QUEUE, LEASE, Duration.ZERO))
          .isInstanceOf(BrokerFullException.class)
          .hasMessageContaining("lack of memory")
          .hasMessageContaining("maxmemory");
      assertThatThrownBy(() -> broker.enqueue(aTask("new").queue(QUEUE).build(), Duration.ZERO))
          .isInstanceOf(BrokerFullException.class)
          .hasMessageContaining("maxmemory");
      assertThatThrownBy(
              () -> broker.enqueueAll(List.of(aTask("new2").queue(QUEUE).build()), Duration.ZERO))
          .isInstanceOf(BrokerFullException.class)
          .hasMessageContaining("maxmemory");
      assertThat(broker.stats(QUEUE).ready())
          .as("t2 retried, t3 released, t6 and t7 never claimed")
          .isEqualTo(4);

      redis.dropFillers();
      List<Lease> rest = broker.dequeueBatch(QUEUE, 10, LEASE, Duration.ZERO);
      assertThat(rest)
          .extracting(l -> l.task().id().value())
          .containsExactlyInAnyOrder("t2", "t3", "t6", "t7");
      assertThat(broker.ackAll(rest)).isEmpty();
      assertThat(broker.ackAll(List.of(held.get(4)))).isEmpty();
      assertThat(broker.leaseLostCount()).isZero();
      assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEqualTo(Optional.empty());
    }
  }

  /** A delete frees memory, so it runs at maxmemory; a run-now adds work, so it is refused. */
  @Test
  void atMaxmemory_deleteWorks_runNowIsRefused() throws Exception {
    try (RedisBroker broker = redis.broker(1000)) {
      broker.enqueue(aTask("ready").queue(QUEUE).build(), Duration.ZERO);
      broker.enqueueIn(aTask("later").queue(QUEUE).build(), Duration.ofHours(1), Duration.ZERO);
      redis.runOutOfMemory();

      assertThat(broker.delete(QUEUE, new TaskId("ready"))).isEqualTo(DeleteOutcome.DELETED);
      assertThatThrownBy(() -> broker.runNow(QUEUE, new TaskId("later")))
          .isInstanceOf(BrokerFullException.class)
          .hasMessageContaining("maxmemory");

      redis.dropFillers();
      redis.liftMemoryLimit(); // the other test sets its own limit from the memory it finds
      assertThat(broker.runNow(QUEUE, new TaskId("later"))).isEqualTo(RunNowOutcome.MADE_READY);
      Lease lease = broker.dequeue(QUEUE, LEASE, Duration.ZERO).orElseThrow();
      assertThat(lease.task().id().value()).isEqualTo("later");
      broker.ack(lease);
      assertThat(broker.dequeue(QUEUE, LEASE, Duration.ZERO)).isEmpty();
    }
  }
}
