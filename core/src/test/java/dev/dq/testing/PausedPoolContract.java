package dev.dq.testing;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.Broker;
import dev.dq.core.port.QueuePauses;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import dev.dq.core.worker.TaskEvent;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real worker pool on a broker that offers {@link QueuePauses}, on the system clock: a pause
 * reaches the tasks the pool prefetched, nothing is lost, no attempt is spent, and a resume or the
 * pause's end gets the work going again. The pause comes from {@link #operator()}, which stands for
 * another process where the broker allows it (the pool learns it from the broker, not from a call
 * in its own process). The delays measured are printed, not asserted beyond generous bounds.
 */
public abstract class PausedPoolContract {
  protected static final String QUEUE = Task.DEFAULT_QUEUE;
  protected static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final int WORKERS = 2;
  private static final int PREFETCH = 8;

  protected Broker broker;
  private WorkerPool pool;
  private final List<TaskEvent> events = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
  private final List<Long> startNanos = new CopyOnWriteArrayList<>();
  private volatile long handlerMillis = 200;
  private int typeLimit; // 0: none

  /** A new, empty broker that offers {@link QueuePauses}, on the system clock. */
  protected abstract Broker createBroker();

  /**
   * Who pauses and resumes: another client of the same store where there is one (another process's
   * broker), else the pool's broker itself.
   */
  protected abstract QueuePauses operator();

  @AfterEach
  final void stopPool() {
    if (pool != null) {
      pool.stop(Duration.ofSeconds(5));
    }
    if (broker != null) {
      broker.close();
    }
  }

  /** Starts (or starts again) a pool of 2 workers, prefetch 8, on {@link #broker}. */
  protected final WorkerPool startPool() {
    if (broker == null) {
      broker = createBroker();
    }
    WorkerPoolConfig.Builder config =
        WorkerPoolConfig.builder()
            .workers(WORKERS)
            .prefetch(PREFETCH)
            .ackBatch(1)
            .pollWait(Duration.ofSeconds(1))
            .leaseTime(Duration.ofSeconds(10));
    if (typeLimit > 0) {
      config.concurrency(TaskFixtures.TYPE, typeLimit);
    }
    pool =
        WorkerPool.builder(broker)
            .config(config.build())
            .handler(
                TaskFixtures.TYPE,
                task -> {
                  startNanos.add(System.nanoTime());
                  runs.computeIfAbsent(task.id().value(), k -> new AtomicInteger())
                      .incrementAndGet();
                  attempts.merge(task.id().value(), task.attempt(), Math::max);
                  Thread.sleep(handlerMillis);
                })
            .listener(events::add)
            .build();
    pool.start();
    return pool;
  }

  protected final void stopPoolNow() {
    pool.stop(Duration.ofSeconds(5));
    pool = null;
  }

  protected final void enqueue(int n) throws InterruptedException {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(aTask(String.format("t%03d", i)).build());
    }
    broker.enqueueAll(tasks, Duration.ZERO);
  }

  protected final int started() {
    return startNanos.size();
  }

  protected final long startsAfter(long nanos) {
    return startNanos.stream().filter(t -> t - nanos > 0).count();
  }

  protected final long lastStart() {
    return startNanos.isEmpty() ? Long.MIN_VALUE : startNanos.get(startNanos.size() - 1);
  }

  protected final QueueStats stats() {
    return broker.stats(QUEUE);
  }

  /** Every task of {@code n} ran, each once, each on attempt 1; none is left in the broker. */
  protected final void assertAllDoneOnceOnFirstAttempt(int n) {
    await().atMost(PATIENCE).until(() -> runs.size() == n && stats().inFlight() == 0);
    assertThat(runs.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
    assertThat(attempts.values()).allSatisfy(a -> assertThat(a).isEqualTo(1));
    assertThat(stats()).isEqualTo(new QueueStats(QUEUE, 0, 0, 0));
  }

  @Test
  void pause_whilePrefetched_noneStartsUntilResume_nothingLost_attemptsUnchanged()
      throws Exception {
    int n = 40;
    broker = createBroker();
    enqueue(n);
    startPool();
    // both workers busy, each holding up to 7 more claimed and unstarted
    await().atMost(PATIENCE).until(() -> started() >= WORKERS);

    long before = System.nanoTime();
    operator().pause(QUEUE, "test", "prefetch", Optional.empty());
    long paused = System.nanoTime();

    // The tasks held unstarted come back to the broker: only those running at the pause are out.
    await().atMost(PATIENCE).until(() -> stats().inFlight() == 0);
    long lastStartBeforeQuiet = lastStart();
    int startedWhilePaused = started();
    Thread.sleep(1_000); // a quiet second: a held-back task would start in it
    assertThat(started()).isEqualTo(startedWhilePaused);
    assertThat(stats().ready()).isEqualTo(n - runs.size());
    assertThat(events)
        .filteredOn(e -> e instanceof TaskEvent.Released r && r.reason().equals("queue paused"))
        .isNotEmpty();
    long lateMs = Math.max(0, (lastStartBeforeQuiet - paused) / 1_000_000);
    System.out.printf(
        "%s: pause took %d ms; %d of %d tasks started before it took effect, the last %d ms"
            + " after pause returned%n",
        getClass().getSimpleName(), (paused - before) / 1_000_000, startedWhilePaused, n, lateMs);
    assertThat(lateMs).isLessThan(PATIENCE.toMillis()); // generous: the guard checks every 250 ms

    long resumed = System.nanoTime();
    operator().resume(QUEUE);
    await().atMost(PATIENCE).until(() -> started() > startedWhilePaused);
    System.out.printf(
        "%s: first start %d ms after resume%n",
        getClass().getSimpleName(), (startNanos.get(startedWhilePaused) - resumed) / 1_000_000);

    assertAllDoneOnceOnFirstAttempt(n);
  }

  /**
   * With a per-type limit of 1, claimed tasks wait parked behind the running one: a pause hands
   * them back too, and the limit's slot is not lost with them, so all run after the resume.
   */
  @Test
  void pause_parkedBehindTypeLimit_handedBack_limitSlotKept() throws Exception {
    int n = 12;
    typeLimit = 1;
    broker = createBroker();
    enqueue(n);
    startPool();
    await().atMost(PATIENCE).until(() -> started() >= 1);

    operator().pause(QUEUE, "test", "parked", Optional.empty());

    await().atMost(PATIENCE).until(() -> stats().inFlight() == 0);
    int startedWhilePaused = started();
    Thread.sleep(1_000);
    assertThat(started()).isEqualTo(startedWhilePaused);
    assertThat(stats().ready()).isEqualTo(n - runs.size());

    operator().resume(QUEUE);

    assertAllDoneOnceOnFirstAttempt(n);
  }

  @Test
  void resume_wakesIdlePool_measured() throws Exception {
    broker = createBroker();
    operator().pause(QUEUE, "test", "idle", Optional.empty());
    startPool();
    enqueue(4);
    Thread.sleep(1_500); // workers claim, find the queue paused and wait
    assertThat(started()).isZero();

    long resumed = System.nanoTime();
    operator().resume(QUEUE);
    await().atMost(PATIENCE).until(() -> started() > 0);

    long delayMs = (startNanos.get(0) - resumed) / 1_000_000;
    System.out.printf(
        "%s: an idle pool started its first task %d ms after resume (poll wait 1 s)%n",
        getClass().getSimpleName(), delayMs);
    assertAllDoneOnceOnFirstAttempt(4);
  }

  @Test
  void pauseFor_resumesByItself() throws Exception {
    broker = createBroker();
    handlerMillis = 1;
    long pausedAt = System.nanoTime();
    operator().pause(QUEUE, "test", "short", Optional.of(Duration.ofMillis(1_500)));
    enqueue(10);
    startPool();

    await().atMost(PATIENCE).until(() -> started() > 0);

    long afterMs = (startNanos.get(0) - pausedAt) / 1_000_000;
    System.out.printf(
        "%s: pause --for 1.5 s, first start %d ms after the pause%n",
        getClass().getSimpleName(), afterMs);
    assertThat(afterMs).isGreaterThanOrEqualTo(1_400);
    assertAllDoneOnceOnFirstAttempt(10);
  }

  @Test
  void pause_survivesPoolRestart() throws Exception {
    broker = createBroker();
    handlerMillis = 1;
    operator().pause(QUEUE, "test", "restart", Optional.empty());
    enqueue(5);
    startPool();
    Thread.sleep(600);
    stopPoolNow();
    startPool();
    Thread.sleep(600);
    assertThat(started()).isZero();
    assertThat(stats()).isEqualTo(new QueueStats(QUEUE, 5, 0, 0));

    operator().resume(QUEUE);

    assertAllDoneOnceOnFirstAttempt(5);
  }
}
