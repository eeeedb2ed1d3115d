package dev.dq.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.Broker;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.core.worker.TaskHandler;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real worker pool on a real broker, serving several queues by weight or in strict order, with
 * handlers that sleep for a different time per queue (issue 12; asynq#314, sidekiq#5741, #1773).
 * Measures the busy slot-time of each queue's handlers over a run, on this JVM's clock, where the
 * pool under test measures its own: the figures checked here are not the ones the policy steers by.
 * Each adapter's test extends it.
 */
public abstract class QueueSelectionContract {
  private static final Map<String, Long> SLEEP_MS =
      Map.of("critical", 20L, "default", 50L, "low", 200L);

  /** One handler run: its queue and its start and end on {@link System#nanoTime()}. */
  private record Run(String queue, long start, long end) {}

  protected Broker broker;
  private WorkerPool pool;
  private final Queue<Run> runs = new ConcurrentLinkedQueue<>();

  /**
   * A fresh, empty broker on {@code clock}; the test closes it.
   *
   * @param clock the clock it reads
   * @return the broker
   */
  protected abstract Broker createBroker(InstantSource clock);

  /**
   * Tasks a worker claims per call in the weighted runs (1 unless overridden).
   *
   * @return the prefetch
   */
  protected int prefetch() {
    return 1;
  }

  /**
   * How long the weighted runs are measured (4 s unless overridden): long enough for many choices
   * of the slowest queue, whose tasks hold a slot for 200 ms each, times the prefetch.
   *
   * @return the length of the run
   */
  protected Duration run() {
    return Duration.ofSeconds(4);
  }

  @AfterEach
  void stopPoolAndBroker() {
    if (pool != null) {
      pool.stop(Duration.ZERO);
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void weights_everyQueueHasWork_slotTimeFollowsTheWeights() throws Exception {
    double[] share = weightedRun(true);

    assertThat(share[0]).as("critical").isCloseTo(0.60, within(0.04));
    assertThat(share[1]).as("default").isCloseTo(0.30, within(0.04));
    assertThat(share[2]).as("low").isCloseTo(0.10, within(0.04));
  }

  @Test
  void weights_oneQueueEmpty_itsShareGoesToTheOthers() throws Exception {
    double[] share = weightedRun(false);

    assertThat(share[1]).as("default").isZero();
    assertThat(share[0]).as("critical").isCloseTo(6 / 7.0, within(0.04));
    assertThat(share[2]).as("low").isCloseTo(1 / 7.0, within(0.04));
  }

  @Test
  void strict_neverStartsALowerQueueWhileAHigherOneHasReadyTasks() throws Exception {
    AtomicInteger early = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    startPool(
        c -> c.queue("critical").queue("default").queue("low").strict(),
        t -> {
          int ahead = 0;
          if (!t.queue().equals("critical")) {
            ahead += broker.stats("critical").ready();
          }
          if (t.queue().equals("low")) {
            ahead += broker.stats("default").ready();
          }
          if (ahead > 0) {
            early.incrementAndGet();
          }
          TimeUnit.MILLISECONDS.sleep(10);
          done.incrementAndGet();
        },
        () -> {
          fill("low", 20);
          fill("default", 30);
          fill("critical", 60);
        });

    await().atMost(Duration.ofSeconds(30)).until(() -> done.get() == 110);
    assertThat(early.get()).as("starts while a higher queue had ready tasks").isZero();
  }

  @Test
  void weights_higherQueuesHaveWork_theLowQueueStillStarts() throws Exception {
    AtomicInteger lowWhileCriticalReady = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    startPool(
        c -> c.queue("critical", 6).queue("default", 3).queue("low", 1),
        t -> {
          if (t.queue().equals("low") && broker.stats("critical").ready() > 0) {
            lowWhileCriticalReady.incrementAndGet();
          }
          TimeUnit.MILLISECONDS.sleep(10);
          done.incrementAndGet();
        },
        () -> {
          fill("low", 20);
          fill("default", 30);
          fill("critical", 200);
        });

    await().atMost(Duration.ofSeconds(30)).until(() -> done.get() == 250);
    assertThat(lowWhileCriticalReady.get()).isPositive();
  }

  /**
   * 8 slots, weights critical 6, default 3, low 1, handlers of 20, 50 and 200 ms, every queue
   * pre-filled with more than a run can take (default left empty unless {@code withDefault}).
   *
   * @return each queue's part of the busy slot-time during {@link #run()}
   */
  private double[] weightedRun(boolean withDefault) throws Exception {
    startPool(
        c -> c.queue("critical", 6).queue("default", 3).queue("low", 1).prefetch(prefetch()),
        t -> {
          long start = System.nanoTime();
          try {
            TimeUnit.MILLISECONDS.sleep(SLEEP_MS.get(t.queue()));
          } finally {
            runs.add(new Run(t.queue(), start, System.nanoTime()));
          }
        },
        () -> {
          int slotsMs = 8 * (int) run().toMillis();
          fill("critical", slotsMs / 20 + 100);
          if (withDefault) {
            fill("default", slotsMs / 50 + 100);
          }
          fill("low", slotsMs / 200 + 40);
        });
    long from = System.nanoTime();
    TimeUnit.NANOSECONDS.sleep(run().toNanos());
    long to = System.nanoTime();
    for (String queue : List.of("critical", "low")) {
      assertThat(broker.stats(queue).ready())
          .as("%s still has work at the end", queue)
          .isPositive();
    }
    pool.stop(Duration.ZERO);
    pool = null;

    String[] queues = {"critical", "default", "low"};
    double[] busy = new double[3];
    double total = 0;
    for (Run run : runs) {
      long overlap = Math.min(run.end(), to) - Math.max(run.start(), from);
      if (overlap > 0) {
        busy[List.of(queues).indexOf(run.queue())] += overlap;
        total += overlap;
      }
    }
    List<String> report = new ArrayList<>();
    for (int q = 0; q < 3; q++) {
      busy[q] /= total;
      report.add(String.format("%s %.1f%%", queues[q], busy[q] * 100));
    }
    System.out.printf(
        "%s: slot-time over %s, prefetch %d: %s%n",
        getClass().getSimpleName(), run(), prefetch(), report);
    return busy;
  }

  /** Starts the pool, the queues filled first by {@code fill} so no slot sees them half full. */
  private void startPool(
      Consumer<WorkerPoolConfig.Builder> config, TaskHandler handler, Filler fill)
      throws Exception {
    broker = createBroker(InstantSource.system());
    fill.fill();
    var builder = WorkerPoolConfig.builder().workers(8).pollWait(Duration.ofMillis(200));
    config.accept(builder);
    pool = WorkerPool.builder(broker).config(builder.build()).handler("work", handler).build();
    pool.start();
  }

  private interface Filler {
    void fill() throws Exception;
  }

  private void fill(String queue, int count) throws InterruptedException {
    List<Task> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(
          Task.builder("work")
              .queue(queue)
              .id(new TaskId(queue + "-" + i))
              .createdAt(InstantSource.system().instant())
              .build());
      if (batch.size() == 100 || i == count - 1) {
        broker.enqueueAll(batch, Duration.ofSeconds(10));
        batch.clear();
      }
    }
  }
}
