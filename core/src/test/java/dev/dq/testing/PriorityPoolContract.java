package dev.dq.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.Broker;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * Priorities seen through a real {@link WorkerPool} (issue 12): with every worker busy, tasks of
 * priority 9 published after 1,000 of priority 1 start before the priority-1 tasks still in the
 * queue. An adapter's test extends it and supplies the brokers: {@link #producer()} publishes,
 * {@link #consumer()} feeds the pool; both see the same queues (they may be one broker).
 */
public abstract class PriorityPoolContract {
  private static final String QUEUE = "prio-pool";
  private static final int WORKERS = 4;
  private static final int LOW = 1_000;
  private static final int HIGH = 20;
  private static final Duration PATIENCE = Duration.ofMinutes(2);

  /** The broker tasks are published on. */
  protected abstract Broker producer();

  /** The broker the pool takes tasks from, over the same store as {@link #producer()}. */
  protected abstract Broker consumer();

  @Test
  void workersBusy_priority9PublishedAfter1000OfPriority1_startBeforeTheRemainingOnes()
      throws Exception {
    List<String> started = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch gate = new CountDownLatch(1);
    ClaimLog claims = new ClaimLog(consumer());
    List<Task> low = new ArrayList<>();
    for (int i = 0; i < LOW; i++) {
      low.add(task("low-" + i, 1));
    }
    for (int from = 0; from < LOW; from += 500) {
      producer().enqueueAll(low.subList(from, from + 500), PATIENCE);
    }
    WorkerPool pool =
        WorkerPool.builder(claims)
            .config(WorkerPoolConfig.builder().workers(WORKERS).prefetch(1).queue(QUEUE).build())
            .handler(
                "prio",
                task -> {
                  started.add(task.id().value());
                  if (!gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("gate never opened");
                  }
                })
            .build();
    pool.start();
    try {
      await().atMost(PATIENCE).until(() -> started.size() == WORKERS); // every worker is busy
      List<String> claimedBefore = claims.idsAfter(0);
      List<Task> high = new ArrayList<>();
      for (int i = 0; i < HIGH; i++) {
        high.add(task("high-" + i, 9));
      }
      producer().enqueueAll(high, PATIENCE);
      gate.countDown();
      await().atMost(PATIENCE).until(() -> started.size() == LOW + HIGH);

      // Claims are the broker's choice; starts follow them on each worker (prefetch 1), but
      // several workers record their starts in a racy order, so the order is checked on claims.
      List<String> after = claims.idsAfter(claimedBefore.size());
      assertThat(claimedBefore).as("claimed while every worker was busy").hasSizeLessThan(LOW);
      assertThat(after.subList(0, HIGH))
          .as("the first claims after the priority-9 tasks were published")
          .allMatch(id -> id.startsWith("high-"));
      assertThat(after).hasSize(LOW + HIGH - claimedBefore.size());
      List<String> order = List.copyOf(started);
      assertThat(new HashSet<>(order)).hasSize(LOW + HIGH);
    } finally {
      gate.countDown();
      assertThat(pool.stop(Duration.ofSeconds(30))).isTrue();
    }
  }

  private static Task task(String id, int priority) {
    return Task.builder("prio")
        .id(id)
        .queue(QUEUE)
        .priority(priority)
        .createdAt(Instant.EPOCH)
        .build();
  }

  /**
   * Remembers the id of every task the pool claimed, in the order the broker handed them out: the
   * claims go one at a time, so their order is the broker's.
   */
  private static final class ClaimLog extends ForwardingBroker {
    private final List<String> ids = new ArrayList<>();
    private final ReentrantLock oneAtATime = new ReentrantLock();

    ClaimLog(Broker delegate) {
      super(delegate);
    }

    /** The ids claimed after the first {@code skip}, in claim order. */
    List<String> idsAfter(int skip) {
      oneAtATime.lock();
      try {
        return List.copyOf(ids.subList(skip, ids.size()));
      } finally {
        oneAtATime.unlock();
      }
    }

    @Override
    public Optional<Lease> dequeue(String queue, Duration leaseTime, Duration wait)
        throws InterruptedException {
      oneAtATime.lockInterruptibly();
      try {
        Optional<Lease> lease = delegate.dequeue(queue, leaseTime, wait);
        lease.ifPresent(l -> ids.add(l.task().id().value()));
        return lease;
      } finally {
        oneAtATime.unlock();
      }
    }

    @Override
    public List<Lease> dequeueBatch(String queue, int max, Duration leaseTime, Duration wait)
        throws InterruptedException {
      oneAtATime.lockInterruptibly();
      try {
        List<Lease> leases = delegate.dequeueBatch(queue, max, leaseTime, wait);
        leases.forEach(l -> ids.add(l.task().id().value()));
        return leases;
      } finally {
        oneAtATime.unlock();
      }
    }
  }
}
