package dev.dq.core.worker;

import dev.dq.core.lifecycle.TaskRetention;
import dev.dq.core.lifecycle.Trimmed;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every queue of a {@link TaskRetention} broker within its retention: every {@link #INTERVAL}
 * it trims each queue the broker knows ({@link dev.dq.core.port.Broker#queues()}), idle ones too,
 * calling again while a call removes something (at most {@link #MAX_CALLS} per queue and run), and
 * reports what went to {@link TaskEventListener#onTrimmed}.
 *
 * <p>One pool per broker object in a process does this ({@link #claim}); other processes' pools
 * trim too, which the broker makes safe (each entry is removed once).
 */
final class Trimmer implements Periodic.Job {
  /** How often a pool trims. */
  static final Duration INTERVAL = Duration.ofSeconds(10);

  /**
   * Most trim calls per queue and run: enough to catch up with any realistic rate (a call removes
   * up to some hundreds), so that what a busy queue ends in 10 s never outgrows what a run removes,
   * while still ending a run that a broker bug would keep busy forever. The job has a thread of its
   * own: a long run delays no lease renewal.
   */
  static final int MAX_CALLS = 10_000;

  private static final Logger log = LoggerFactory.getLogger(Trimmer.class);

  /** The brokers a pool of this process trims now. */
  private static final Set<Object> TRIMMED =
      Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  private final PoolServices services;
  private final TaskRetention retention;

  private Trimmer(PoolServices services, TaskRetention retention) {
    this.services = services;
    this.retention = retention;
  }

  /**
   * A trimmer for the pool's broker, if it offers retention and no other pool of this process trims
   * it yet; {@link #unclaim} when the pool stops.
   *
   * @return the trimmer, or null
   */
  static Trimmer claim(PoolServices services) {
    if (services.broker() instanceof TaskRetention retention && TRIMMED.add(services.broker())) {
      return new Trimmer(services, retention);
    }
    return null;
  }

  /** Lets another pool of this process trim the broker. */
  void unclaim() {
    TRIMMED.remove(services.broker());
  }

  @Override
  public boolean runOnce() {
    boolean ok = true;
    for (String queue : services.broker().queues()) {
      if (Thread.currentThread().isInterrupted()) {
        return ok;
      }
      try {
        trim(queue);
      } catch (RuntimeException e) {
        services.brokerErrors().warn("trimming queue " + queue + " failed", e);
        ok = false;
      }
    }
    return ok;
  }

  private void trim(String queue) {
    long finished = 0;
    long dead = 0;
    for (int call = 0; call < MAX_CALLS; call++) {
      Trimmed t = retention.trim(queue);
      if (t.finished() + t.dead() == 0) {
        break;
      }
      finished += t.finished();
      dead += t.dead();
    }
    if (finished + dead > 0) {
      log.debug("trimmed queue {}: {} finished, {} dead", queue, finished, dead);
      try {
        services.listener().onTrimmed(queue, new Trimmed(finished, dead));
      } catch (RuntimeException e) {
        log.warn("task event listener failed on Trimmed", e);
      }
    }
  }
}
