package dev.dq.core.worker;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

/**
 * Which of a pool's queues a free worker slot tries, and in what order: the selection policy of
 * {@link WorkerPoolConfig#weights()} and {@link WorkerPoolConfig#strict()}. One per pool, shared by
 * its slots; thread-safe.
 *
 * <p><b>Weighted</b> (the default; every queue weighs 1 unless given a weight): weights share
 * worker <em>slots</em>, not fetch attempts. The policy counts each queue's busy slot-time (from a
 * handler's start to its end, on the pool's clock) divided by the queue's weight, its
 * <em>normalized service</em>. A free slot tries the queues from the least served to the most,
 * without waiting, and takes from the first that has work. What slots have committed to counts at
 * once, so that slots freed together do not all pick the same queue: a running handler counts as at
 * least the queue's typical run (a moving average of its past runs), and a task claimed but not
 * started yet (a prefetched batch) as one typical run. A queue whose handlers are slow thus gets
 * fewer starts, not more slots: over a run the slots are busy with each queue in proportion to its
 * weight, whatever the handlers' speeds (sidekiq#5741, #1773). A queue with work is never starved:
 * the others' service grows while it waits until it is the least served. A queue found empty keeps
 * no credit for the time it had nothing to do: when it has work again its service is raised to that
 * of the least served queue that kept working, so it takes its share from then on instead of every
 * slot until it caught up. When no queue has work the slot blocks on a queue of its own (slot
 * number modulo queues), so every queue has a waiting slot.
 *
 * <p><b>Strict</b>: a slot tries the queues in the order given, the first one first, and blocks on
 * the first. It claims a batch ({@link WorkerPoolConfig#prefetch()}) only from the first queue and
 * one task at a time from the others, so a slot never holds lower tasks claimed before higher work
 * arrived.
 *
 * <p>A pool with one queue does none of this: it blocks on its queue as before and counts nothing.
 */
final class QueueSelection {
  /** What ends a slot's busy time on one queue; {@link #end()} is idempotent. */
  interface Busy {
    /** The slot left the handler (it returned, or its slot was given up): its busy time ends. */
    void end();
  }

  private static final Busy UNCOUNTED = () -> {};

  /** Weight of the newest run in a queue's typical run. */
  private static final double SMOOTHING = 0.25;

  private final String[] queues;
  private final double[] weights;
  private final boolean strict;
  private final InstantSource clock;
  private final Instant origin;

  // All guarded by this. Times are nanoseconds since origin on the pool's clock.
  /** Busy time of ended runs, plus the credit given up when the queue was found empty. */
  private final long[] done;

  private final int[] running;

  /** Sum of the start times of the running ones: busy time now = done + running * now - this. */
  private final long[] startSum;

  /** The last try of this queue found it empty. */
  private final boolean[] idle;

  /** Typical run of each queue's handlers (moving average), 0 until one ended. */
  private final double[] typical;

  /** Tasks claimed and not started yet, per queue: the sum of the slots' batches. */
  private final int[] claimed;

  /** Each slot's last claim: its queue and how many of its tasks have not started. */
  private final int[] slotQueue;

  private final int[] slotClaimed;

  private QueueSelection(
      List<String> queues, double[] weights, boolean strict, int slots, InstantSource clock) {
    this.queues = queues.toArray(new String[0]);
    this.weights = weights;
    this.strict = strict;
    this.clock = clock;
    this.origin = clock.instant();
    int n = this.queues.length;
    this.done = new long[n];
    this.running = new int[n];
    this.startSum = new long[n];
    this.idle = new boolean[n];
    this.typical = new double[n];
    this.claimed = new int[n];
    this.slotQueue = new int[slots];
    this.slotClaimed = new int[slots];
  }

  /** The policy of {@code config}'s queues, timed by {@code clock}. */
  static QueueSelection of(WorkerPoolConfig config, InstantSource clock) {
    List<String> queues = config.queues();
    double[] weights = new double[queues.size()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = config.weightOf(queues.get(i));
    }
    return new QueueSelection(queues, weights, config.strict(), config.workers(), clock);
  }

  /** Number of queues. */
  int size() {
    return queues.length;
  }

  /** The name of queue {@code index} (in the order of {@link WorkerPoolConfig#queues()}). */
  String queue(int index) {
    return queues[index];
  }

  /** Whether slots count busy time and reorder the queues before each claim. */
  boolean weighted() {
    return !strict && queues.length > 1;
  }

  /**
   * Fills {@code order} (one entry per queue) with the queue indexes in the order {@code slot}
   * tries them now: strict, as given; weighted, least normalized service first, ties to the heavier
   * queue, then in the slot's own rotation (the one it blocks on last).
   */
  void order(int slot, int[] order) {
    int n = queues.length;
    if (!weighted()) {
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      return;
    }
    double[] service = new double[n];
    long now = nanos(clock.instant());
    synchronized (this) {
      for (int i = 0; i < n; i++) {
        service[i] = service(i, now);
      }
    }
    int own = slot % n;
    for (int k = 0; k < n; k++) {
      int q = (own + 1 + k) % n; // rotation: the own queue last, as when all tie
      int at = k;
      while (at > 0 && before(q, order[at - 1], service)) {
        order[at] = order[at - 1];
        at--;
      }
      order[at] = q;
    }
  }

  private boolean before(int a, int b, double[] service) {
    if (service[a] != service[b]) {
      return service[a] < service[b];
    }
    return weights[a] > weights[b]; // equal rank in the rotation is left as it is (stable)
  }

  /** The queue {@code slot} waits on when none has work: the first (strict) or its own. */
  int blockOn(int slot) {
    return strict ? 0 : slot % queues.length;
  }

  /**
   * How many tasks to claim at most from queue {@code index} in one call: {@code prefetch}, but one
   * from a strict order's lower queues, and one from a weighted queue until one of its runs ended
   * (until then a claimed batch is counted at a guessed typical run, and slots freed together could
   * each commit a batch of slow tasks to it).
   */
  int batch(int index, int prefetch) {
    if (strict) {
      return index > 0 ? 1 : prefetch;
    }
    if (weighted()) {
      synchronized (this) {
        return typical[index] > 0 ? prefetch : 1;
      }
    }
    return prefetch;
  }

  /**
   * The result of {@code slot}'s try of queue {@code index}: it claimed {@code count} tasks, which
   * count as committed until they start; its earlier claims have all been started or given back. A
   * queue found empty loses the credit it would otherwise have when it has work again (see the
   * class comment).
   */
  void found(int slot, int index, int count) {
    if (!weighted()) {
      return;
    }
    long now = nanos(clock.instant());
    synchronized (this) {
      claimed[slotQueue[slot]] -= slotClaimed[slot];
      slotQueue[slot] = index;
      slotClaimed[slot] = count;
      claimed[index] += count;
      if (count == 0) {
        idle[index] = true;
        return;
      }
      if (!idle[index]) {
        return;
      }
      idle[index] = false;
      double floor = floor(index, now);
      double own = service(index, now);
      if (floor > own) {
        done[index] += (long) ((floor - own) * weights[index]);
      }
    }
  }

  /**
   * The service a queue coming back from empty is raised to: the least of the queues that kept
   * working, or, if all were empty, the most of any (no history counts after an idle pool).
   */
  private double floor(int index, long now) {
    double leastWorking = Double.POSITIVE_INFINITY;
    double most = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < queues.length; j++) {
      if (j == index) {
        continue;
      }
      double s = service(j, now);
      most = Math.max(most, s);
      if (!idle[j]) {
        leastWorking = Math.min(leastWorking, s);
      }
    }
    return leastWorking != Double.POSITIVE_INFINITY ? leastWorking : most;
  }

  /**
   * A handler of a task of {@code queue} starts on {@code slot} now: counts its busy time until the
   * returned {@link Busy#end()}. Counts nothing unless {@link #weighted()}.
   */
  Busy started(int slot, String queue) {
    if (!weighted()) {
      return UNCOUNTED;
    }
    int index = indexOf(queue);
    if (index < 0) {
      return UNCOUNTED; // not a served queue (cannot happen: tasks come from served queues)
    }
    long start = nanos(clock.instant());
    synchronized (this) {
      running[index]++;
      startSum[index] += start;
      if (slotQueue[slot] == index && slotClaimed[slot] > 0) {
        slotClaimed[slot]--;
        claimed[index]--;
      }
    }
    return new Run(index, start);
  }

  /** Slots busy with each queue's handlers now, as counted here (weighted only), for tests. */
  synchronized int running(int index) {
    return running[index];
  }

  /** Normalized service of queue {@code index} at {@code now} (tests). */
  synchronized double serviceAt(int index, Instant now) {
    return service(index, nanos(now));
  }

  private double service(int i, long now) {
    double run = typical(i);
    double runningFor = Math.max(running[i] * now - startSum[i], running[i] * run);
    return (done[i] + runningFor + claimed[i] * run) / weights[i];
  }

  /** The queue's typical run; until one ended, the average of the others' (0 if none known). */
  private double typical(int i) {
    if (typical[i] > 0) {
      return typical[i];
    }
    double sum = 0;
    int known = 0;
    for (double t : typical) {
      if (t > 0) {
        sum += t;
        known++;
      }
    }
    return known == 0 ? 0 : sum / known;
  }

  private int indexOf(String queue) {
    for (int i = 0; i < queues.length; i++) {
      if (queues[i].equals(queue)) {
        return i;
      }
    }
    return -1;
  }

  private long nanos(Instant t) {
    return (t.getEpochSecond() - origin.getEpochSecond()) * 1_000_000_000L
        + (t.getNano() - origin.getNano());
  }

  /** One handler's busy time on one queue. */
  private final class Run implements Busy {
    private final int index;
    private final long start;
    private boolean ended; // guarded by QueueSelection.this

    Run(int index, long start) {
      this.index = index;
      this.start = start;
    }

    @Override
    public void end() {
      long now = nanos(clock.instant());
      synchronized (QueueSelection.this) {
        if (ended) {
          return;
        }
        ended = true;
        long took = Math.max(0, now - start); // a clock set back counts no negative time
        running[index]--;
        startSum[index] -= start;
        done[index] += took;
        typical[index] =
            typical[index] == 0 ? took : typical[index] + SMOOTHING * (took - typical[index]);
      }
    }
  }
}
