package dev.dq.adapter.memory;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many producers and consumers on one small queue, so producers keep hitting the capacity and
 * block. Checks the at-least-once bookkeeping end to end: every task ends acked exactly once or
 * dead, none lost.
 */
final class InMemoryBrokerStressTest {
  private static final String QUEUE = "default";
  private static final int PRODUCERS = 4;
  private static final int TASKS_PER_PRODUCER = 5_000;
  private static final int TOTAL = PRODUCERS * TASKS_PER_PRODUCER;
  private static final int CONSUMERS = 4;
  private static final int CAPACITY = 64;

  /**
   * Longer than the test can run, so no lease expires and no task is delivered twice through a
   * reclaim.
   */
  private static final Duration LEASE = Duration.ofHours(1);

  /** Bounds a broken run; a healthy one takes about a second. */
  private static final long PATIENCE_SECONDS = 60;

  /**
   * The system clock, so that the short retry delays of the chaos run fall due by themselves;
   * nothing here waits for time to pass.
   */
  private final InMemoryBroker broker =
      InMemoryBroker.builder().clock(InstantSource.system()).capacity(CAPACITY).build();

  private final ExecutorService threads = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS);
  private final Map<TaskId, AtomicInteger> acks = new ConcurrentHashMap<>();
  private final AtomicInteger finished = new AtomicInteger(); // acked or dead-lettered
  private final AtomicInteger maxWaiting = new AtomicInteger();

  @AfterEach
  void tearDown() throws InterruptedException {
    threads.shutdownNow(); // interrupts consumers still blocked after a failure
    threads.awaitTermination(PATIENCE_SECONDS, TimeUnit.SECONDS);
    broker.close();
  }

  @Test
  void producersAndConsumers_smallCapacity_ackEveryTaskExactlyOnce() throws Exception {
    run(this::ack);

    assertThat(acks).hasSize(TOTAL);
    assertThat(acks.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    assertThat(maxWaiting.get()).isLessThanOrEqualTo(CAPACITY);
    assertDrained();
  }

  @Test
  void producersAndConsumers_randomSettling_everyTaskAckedOnceOrDead() throws Exception {
    run(this::settleAtRandom);

    Set<TaskId> dead =
        broker.deadLetterQueue().list(QUEUE, 0, TOTAL).stream()
            .map(entry -> entry.task().id())
            .collect(Collectors.toSet());
    assertThat(acks.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    assertThat(acks.keySet()).doesNotContainAnyElementsOf(dead);
    assertThat(acks.size() + dead.size()).isEqualTo(TOTAL);
    assertThat(dead).isNotEmpty();
    assertDrained();
  }

  /** Starts every producer and consumer, and waits until all tasks are finished. */
  private void run(Handler handler) throws Exception {
    List<Future<?>> running = new ArrayList<>();
    for (int c = 0; c < CONSUMERS; c++) {
      running.add(threads.submit(() -> consume(handler)));
    }
    for (int p = 0; p < PRODUCERS; p++) {
      int producer = p;
      running.add(threads.submit(() -> produce(producer)));
    }
    for (Future<?> future : running) {
      future.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    }
  }

  private Void produce(int producer) throws InterruptedException {
    for (int i = 0; i < TASKS_PER_PRODUCER; i++) {
      broker.enqueue(aTask("p" + producer + "-" + i).build(), Duration.ofSeconds(PATIENCE_SECONDS));
    }
    return null;
  }

  private Void consume(Handler handler) throws InterruptedException {
    while (finished.get() < TOTAL) {
      Optional<Lease> lease = broker.dequeue(QUEUE, LEASE, Duration.ofMillis(20));
      if (lease.isPresent()) {
        QueueStats stats = broker.stats(QUEUE);
        maxWaiting.accumulateAndGet((int) (stats.ready() + stats.delayed()), Math::max);
        handler.handle(lease.get());
      }
    }
    return null;
  }

  @FunctionalInterface
  private interface Handler {
    void handle(Lease lease);
  }

  private void ack(Lease lease) {
    broker.ack(lease);
    acks.computeIfAbsent(lease.task().id(), id -> new AtomicInteger()).incrementAndGet();
    finished.incrementAndGet();
  }

  /** Acks most tasks; retries, releases or dead-letters the rest, as a flaky handler would. */
  private void settleAtRandom(Lease lease) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    double roll = random.nextDouble();
    if (roll < 0.10 && lease.task().attempt() < 3) {
      broker.retryLater(lease, Duration.ofMillis(random.nextInt(3)));
    } else if (roll < 0.15) {
      broker.release(lease, Duration.ZERO);
    } else if (roll < 0.20) {
      broker.deadLetter(
          lease, new Failure("chaos", "rolled " + roll, lease.task().attempt(), lease.expiresAt()));
      finished.incrementAndGet();
    } else {
      ack(lease);
    }
  }

  private void assertDrained() {
    assertThat(broker.stats(QUEUE)).isEqualTo(new QueueStats(QUEUE, 0, 0, 0));
    broker.assertNoLeakedLeases();
    List<DeadLetter> dead = broker.deadLetterQueue().list(QUEUE, 0, TOTAL);
    assertThat(dead).hasSize((int) broker.deadLetterQueue().size(QUEUE));
  }
}
