package dev.dq.core.worker;

import dev.dq.core.lifecycle.TaskRetention;
import dev.dq.core.lifecycle.Trimmed;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every queue of a {@link TaskRetention} broker within its retention: every {@link #INTERVAL}
 * it trims each queue the broker knows ({@link dev.dq.core.port.Broker#queues()}), idle ones too,
 * calling again while a call removes something (at most {@link #MAX_CALLS} per queue and run), and
 * reports what went to {@link TaskEventListener#onTrimmed}.
 *
 * <p>One pool per broker object in a process does this: every pool of a retention broker runs the
 * job, and each run first takes or keeps the broker's claim ({@link #holdsClaim}); so when the pool
 * that trims stops ({@link #unclaim}), another running pool on the broker takes over at its next
 * run. Other processes' pools trim too, which the broker makes safe (each entry is removed once).
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

  /** Which trimmer of this process trims each broker now, by the broker's identity. */
  private static final Map<Object, Trimmer> CLAIMS =
      Collections.synchronizedMap(new IdentityHashMap<>());

  private final PoolServices services;
  private final TaskRetention retention;

  private Trimmer(PoolServices services, TaskRetention retention) {
    this.services = services;
    this.retention = retention;
  }

  /**
   * A trimmer for the pool's broker if it offers retention; it claims the broker at once if no
   * other pool of this process has, else at a later run once that pool has stopped. {@link
   * #unclaim} when the pool stops.
   *
   * @return the trimmer, or null if the broker keeps no ended tasks
   */
  static Trimmer of(PoolServices services) {
    if (services.broker() instanceof TaskRetention retention) {
      Trimmer trimmer = new Trimmer(services, retention);
      trimmer.holdsClaim();
      return trimmer;
    }
    return null;
  }

  /** Takes the broker's claim if no trimmer holds it. @return whether this one holds it */
  boolean holdsClaim() {
    Trimmer holder = CLAIMS.putIfAbsent(services.broker(), this);
    return holder == null || holder == this;
  }

  /** Gives up the claim, if this trimmer holds it, so another pool of this process takes over. */
  void unclaim() {
    CLAIMS.remove(services.broker(), this);
  }

  @Override
  public boolean runOnce() {
    if (!holdsClaim()) {
      return true; // another pool of this process trims this broker
    }
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
