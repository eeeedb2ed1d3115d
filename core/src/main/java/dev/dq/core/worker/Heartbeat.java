package dev.dq.core.worker;

import dev.dq.core.port.Lease;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the lease of every task a pool holds (running, claimed and waiting, parked, or awaiting
 * its batched ack), so that only the tasks of a pool that died are delivered again, however long
 * its handlers take. Runs every third of the lease time on the pool's {@link Scheduler} (a thread
 * of its own by default), and renews up to {@value #CHUNK} leases per broker call: a pool holding
 * thousands of prefetched tasks renews them all in a few round trips, well within a lease.
 *
 * <p>A lease found lost (the broker refused to extend it, or no renewal got through for a whole
 * lease time) is logged at WARN with the task ids and reported as {@link TaskEvent.LeaseLost}
 * "renew": the task may run again elsewhere.
 */
final class Heartbeat implements Periodic.Job {
  static final int CHUNK = 500;
  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private final PoolServices services;
  private final Supplier<List<Execution>> held;

  /**
   * @param held a snapshot of the executions held now
   */
  Heartbeat(PoolServices services, Supplier<List<Execution>> held) {
    this.services = services;
    this.held = held;
  }

  @Override
  public boolean runOnce() {
    List<Execution> live = new ArrayList<>();
    for (Execution e : held.get()) {
      if (e.isLive()) {
        live.add(e);
      }
    }
    boolean ok = true;
    List<String> lost = new ArrayList<>();
    // One call per queue: a queue whose renewal fails (its cluster node fails over, say) must not
    // keep the leases of
    // the other queues from being renewed, or from being seen as renewed.
    for (List<Execution> queue : byQueue(live)) {
      for (int from = 0; from < queue.size(); from += CHUNK) {
        ok &= renew(queue.subList(from, Math.min(queue.size(), from + CHUNK)), lost);
      }
    }
    if (lost.size() == 1) {
      log.warn(
          "lease of task {} expired before it could be renewed; it may run again elsewhere",
          lost.get(0));
    } else if (!lost.isEmpty()) {
      log.warn(
          "leases of tasks {} expired before they could be renewed; they may run again elsewhere",
          lost);
    }
    return ok;
  }

  /** {@code executions} grouped by queue, in the order each queue first appears. */
  static Collection<List<Execution>> byQueue(List<Execution> executions) {
    if (oneQueue(executions)) {
      return List.of(executions); // the common case, on every batched ack: no map
    }
    Map<String, List<Execution>> groups = new LinkedHashMap<>();
    for (Execution e : executions) {
      groups.computeIfAbsent(e.task().queue(), q -> new ArrayList<>()).add(e);
    }
    return groups.values();
  }

  private static boolean oneQueue(List<Execution> executions) {
    if (executions.isEmpty()) {
      return false;
    }
    String first = executions.get(0).task().queue();
    for (Execution e : executions) {
      if (!first.equals(e.task().queue())) {
        return false;
      }
    }
    return true;
  }

  /** Renews one chunk of one queue in one broker call; returns false if the call failed. */
  private boolean renew(List<Execution> chunk, List<String> lost) {
    List<Lease> leases = new ArrayList<>(chunk.size());
    chunk.forEach(e -> leases.add(e.lease()));
    List<Optional<Lease>> renewed;
    try {
      renewed = services.broker().extendAll(leases, services.config().leaseTime());
    } catch (RuntimeException error) {
      services.brokerErrors().warn("lease renewal of " + chunk.size() + " tasks failed", error);
      Instant now = services.clock().instant();
      for (Execution e : chunk) {
        if (e.leaseCertainlyExpired(now)) {
          lostWhileHeld(e, lost);
        }
      }
      return false;
    }
    if (renewed.size() != chunk.size()) {
      throw new IllegalStateException(
          "broker answered " + renewed.size() + " renewals for " + chunk.size() + " leases");
    }
    Instant now = services.clock().instant();
    for (int i = 0; i < chunk.size(); i++) {
      Execution e = chunk.get(i);
      Optional<Lease> extended = renewed.get(i);
      if (extended.isPresent()) {
        e.extended(extended.get(), now);
      } else {
        lostWhileHeld(e, lost);
      }
    }
    return true;
  }

  private void lostWhileHeld(Execution e, List<String> lost) {
    if (e.leaseExpiredWhileHeld()) {
      lost.add(e.task().id().value());
    }
  }
}
