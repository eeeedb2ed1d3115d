package dev.dq.core.worker;

import static dev.dq.testing.TaskFixtures.EPOCH;
import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.QueueStats;
import dev.dq.testing.FakeBroker;
import dev.dq.testing.FakeClock;
import dev.dq.testing.ForwardingBroker;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

final class QueueSnapshotTest {
  private final FakeClock clock = FakeClock.at(EPOCH);
  private final AtomicInteger reads = new AtomicInteger();
  private volatile boolean down;
  private final ForwardingBroker broker =
      new ForwardingBroker(new FakeBroker(clock)) {
        @Override
        public QueueStats stats(String queue) {
          if (down) {
            throw new BrokerUnavailableException("down");
          }
          reads.incrementAndGet();
          return delegate.stats(queue);
        }
      };

  /** A dead-letter queue that holds three entries per queue and answers nothing else. */
  private static final DeadLetterQueue THREE_DEAD =
      (DeadLetterQueue)
          Proxy.newProxyInstance(
              DeadLetterQueue.class.getClassLoader(),
              new Class<?>[] {DeadLetterQueue.class},
              (proxy, method, args) -> {
                if (method.getName().equals("size")) {
                  return 3L;
                }
                throw new UnsupportedOperationException(method.getName());
              });

  private QueueSnapshot snapshot() {
    return new QueueSnapshot(
        broker, THREE_DEAD, () -> List.of("a", "b"), Duration.ofSeconds(1), clock);
  }

  @Test
  void counts_readEachQueueOncePerTtl() throws Exception {
    broker.enqueue(aTask().queue("a").build(), Duration.ZERO);
    QueueSnapshot snapshot = snapshot();

    assertThat(snapshot.counts()).containsOnlyKeys("a", "b");
    assertThat(snapshot.counts().get("a").stats().ready()).isEqualTo(1);
    assertThat(snapshot.counts().get("b").dead()).isEqualTo(3);
    assertThat(reads.get()).as("three calls within the TTL").isEqualTo(2);

    clock.advance(Duration.ofSeconds(1));
    snapshot.counts();
    assertThat(reads.get()).as("after the TTL").isEqualTo(4);
  }

  @Test
  void counts_brokerDown_isEmpty_thenRecovers() {
    QueueSnapshot snapshot = snapshot();
    down = true;
    assertThat(snapshot.counts()).isEmpty();
    assertThat(snapshot.reachable()).isFalse();

    down = false;
    clock.advance(Duration.ofSeconds(1));
    assertThat(snapshot.counts()).containsOnlyKeys("a", "b");
    assertThat(snapshot.reachable()).isTrue();
  }

  @Test
  void reachable_noQueues_isTrue_thoughTheCountsAreEmpty() {
    QueueSnapshot snapshot =
        new QueueSnapshot(broker, THREE_DEAD, List::of, Duration.ofSeconds(1), clock);

    assertThat(snapshot.counts()).isEmpty();
    assertThat(snapshot.reachable()).isTrue();
  }

  @Test
  void ttlBelowOneMillisecond_isRejected_namingIt() {
    assertThatThrownBy(() -> new QueueSnapshot(broker, THREE_DEAD, List::of, Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ttl must be >= 1ms: PT0S");
  }
}
