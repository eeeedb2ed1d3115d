package dev.dq.core.worker;

import dev.dq.core.ops.Throughput;
import dev.dq.core.ops.ThroughputCounts;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts a pool's finished attempts per queue (a {@link TaskEventListener}: succeeded, failed,
 * dead-lettered) and records them in a {@link Throughput} broker every {@link #INTERVAL}, one call
 * per queue that had any, and once more when the pool stops. The hot path only adds to a map. A
 * process that is killed loses the counts of its last interval; a record that fails is logged and
 * its counts dropped (a retry could count them twice).
 */
final class ThroughputTally implements TaskEventListener, Periodic.Job {
  /** How often a pool records its counts. */
  static final Duration INTERVAL = Duration.ofSeconds(5);

  private final RateLimitedLog errors;
  private final Throughput throughput;
  private Map<String, long[]> counts = new HashMap<>(); // guarded by this

  private ThroughputTally(Throughput throughput, RateLimitedLog errors) {
    this.throughput = throughput;
    this.errors = errors;
  }

  /**
   * A tally for {@code broker}, if it offers {@link Throughput}.
   *
   * @param errors where failed records are logged
   * @return the tally, or null
   */
  static ThroughputTally of(dev.dq.core.port.Broker broker, RateLimitedLog errors) {
    return broker instanceof Throughput t ? new ThroughputTally(t, errors) : null;
  }

  @Override
  public void on(TaskEvent event) {
    int kind;
    if (event instanceof TaskEvent.Succeeded) {
      kind = 0;
    } else if (event instanceof TaskEvent.Failed) {
      kind = 1;
    } else if (event instanceof TaskEvent.DeadLettered) {
      kind = 2;
    } else {
      return;
    }
    synchronized (this) {
      counts.computeIfAbsent(event.task().queue(), q -> new long[3])[kind]++;
    }
  }

  @Override
  public boolean runOnce() {
    Map<String, long[]> taken;
    synchronized (this) {
      if (counts.isEmpty()) {
        return true;
      }
      taken = counts;
      counts = new HashMap<>();
    }
    boolean ok = true;
    for (Map.Entry<String, long[]> e : taken.entrySet()) {
      long[] c = e.getValue();
      try {
        throughput.record(e.getKey(), new ThroughputCounts(c[0], c[1], c[2]));
      } catch (RuntimeException failure) {
        errors.warn("recording the throughput of queue " + e.getKey() + " failed", failure);
        ok = false;
      }
    }
    return ok;
  }
}
