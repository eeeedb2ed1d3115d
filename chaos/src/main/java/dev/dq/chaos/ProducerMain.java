package dev.dq.chaos;

import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.chaos.ledger.LedgerEntry;
import dev.dq.chaos.ledger.LedgerEntry.Kind;
import dev.dq.chaos.ledger.LedgerWriter;
import dev.dq.core.port.DuplicateTaskException;
import dev.dq.core.port.OutcomeUnknownException;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskQueueException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A producer process of the harness: enqueues uniquely named {@code chaos} tasks at a steady rate
 * until the harness creates its stop file (or a safety bound passes), every fourth send a batch,
 * and records each id in its ledger before the enqueue ({@code A}) and once the broker accepted it
 * ({@code K}).
 *
 * <p>A send that fails is retried with the same ids until it gets a definite answer, and no new ids
 * are made meanwhile, as a producer that blocks would. An id that a retry finds held already
 * ({@link DuplicateTaskException}) was accepted by an earlier try whose reply was lost: it counts
 * as acknowledged. Ids still unresolved when the producer's time is up stay "unknown". A brand-new
 * id that the broker calls a duplicate is impossible: the producer says so and exits 3.
 *
 * <p>Arguments: {@code URL LEDGER_DIR NAME RATE MAX_SECONDS MAX_WORK_MS SEED STOP_FILE}.
 */
public final class ProducerMain {
  /** The queue every chaos task goes to. */
  public static final String QUEUE = "chaos";

  /** Printed once the producer is about to produce. */
  public static final String READY = "producer ready";

  private static final int BATCH = 10;
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration RESOLVE_BOUND = Duration.ofSeconds(10);

  private final RedisBroker broker;
  private final LedgerWriter ledger;
  private final long pid = ProcessHandle.current().pid();
  private boolean impossibleDuplicate;
  private final Clock clock = Clock.systemUTC();

  private ProducerMain(RedisBroker broker, LedgerWriter ledger) {
    this.broker = broker;
    this.ledger = ledger;
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    Path dir = Path.of(args[1]);
    String name = args[2];
    double rate = Double.parseDouble(args[3]);
    long seconds = Long.parseLong(args[4]);
    int maxWork = Integer.parseInt(args[5]);
    SplittableRandom random = new SplittableRandom(Long.parseLong(args[6]));
    Path stop = Path.of(args[7]);
    RedisBrokerConfig config =
        RedisBrokerConfig.builder(url)
            .capacityPerQueue(1_000_000)
            .socketTimeout(Duration.ofSeconds(1))
            .connectTimeout(Duration.ofSeconds(1))
            .build();
    try (LedgerWriter ledger = LedgerWriter.open(dir.resolve("producer-" + name + ".log"));
        RedisBroker broker = RedisBroker.connect(config)) {
      ProducerMain producer = new ProducerMain(broker, ledger);
      System.out.println(READY);
      Sent sent = producer.run(name, rate, Duration.ofSeconds(seconds), maxWork, random, stop);
      System.out.println(
          "producer " + name + ": sent " + sent.ids() + ", unresolved " + sent.unresolved());
      if (producer.impossibleDuplicate) {
        System.exit(3);
      }
    }
  }

  /** What a producer sent: ids made, and ids whose outcome stayed unknown. */
  private record Sent(int ids, int unresolved) {}

  private Sent run(
      String name, double rate, Duration bound, int maxWork, SplittableRandom random, Path stop)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + bound.toNanos();
    long paceFrom = start;
    long madeSincePace = 0;
    int seq = 0;
    int sends = 0;
    List<Task> pending = new ArrayList<>();
    while (System.nanoTime() < end && !Files.exists(stop)) {
      if (!pending.isEmpty()) {
        if (send(pending, true)) {
          pending.clear();
          // do not burst to catch up with the time the broker was unavailable
          paceFrom = System.nanoTime();
          madeSincePace = 0;
        } else {
          Thread.sleep(100);
        }
        continue;
      }
      long due = (long) ((System.nanoTime() - paceFrom) / 1e9 * rate) - madeSincePace;
      if (due <= 0) {
        Thread.sleep(2);
        continue;
      }
      int n = sends++ % 4 == 3 ? BATCH : 1;
      for (int i = 0; i < n; i++) {
        String id = name + "-" + seq++;
        pending.add(
            Task.builder(ChaosHandler.TYPE)
                .id(id)
                .queue(QUEUE)
                .payload(Integer.toString(1 + random.nextInt(maxWork)))
                .createdAt(clock.instant())
                .build());
        ledger.record(new LedgerEntry(Kind.ATTEMPTED, id, 0, pid, System.currentTimeMillis()));
      }
      madeSincePace += n;
      if (send(pending, false)) {
        pending.clear();
      }
    }
    long resolveEnd = System.nanoTime() + RESOLVE_BOUND.toNanos();
    while (!pending.isEmpty() && System.nanoTime() < resolveEnd) {
      if (send(pending, true)) {
        pending.clear();
      } else {
        Thread.sleep(100);
      }
    }
    return new Sent(seq, pending.size());
  }

  /**
   * One try; true once the answer is definite (accepted or refused for good).
   *
   * @param retry whether an earlier try sent these tasks
   */
  private boolean send(List<Task> tasks, boolean retry) throws InterruptedException {
    try {
      if (tasks.size() == 1) {
        broker.enqueue(tasks.get(0), TIMEOUT);
      } else {
        broker.enqueueAll(tasks, TIMEOUT);
      }
      record(tasks, Kind.ACKNOWLEDGED);
      return true;
    } catch (DuplicateTaskException e) {
      if (!retry) {
        record(tasks, Kind.REJECTED); // fresh ids cannot be held already: say so loudly
        System.out.println("impossible duplicate on a first try: " + e.getMessage());
        impossibleDuplicate = true;
        return true;
      }
      // an earlier try was applied; a batch is all or nothing, so the whole batch is held
      record(tasks, Kind.ACKNOWLEDGED);
      return true;
    } catch (OutcomeUnknownException e) {
      record(tasks, Kind.UNKNOWN);
      return false;
    } catch (InvalidTaskException e) {
      record(tasks, Kind.REJECTED);
      return true;
    } catch (TaskQueueException e) {
      return false; // unavailable, full, closed: nothing enqueued, try again
    }
  }

  private void record(List<Task> tasks, Kind kind) {
    long now = System.currentTimeMillis();
    for (Task t : tasks) {
      ledger.record(new LedgerEntry(kind, t.id().value(), 0, pid, now));
    }
  }
}
