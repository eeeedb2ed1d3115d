package dev.dq.core.worker;

import dev.dq.core.port.LeaseLostException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the lease of every task a pool holds (running, claimed and waiting, parked, or awaiting its batched ack), so
 * that only the tasks of a pool that died are delivered again, however long its handlers take. Runs on the pool's
 * timer every third of the lease time.
 */
final class Heartbeat implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

  private final PoolContext ctx;
  private final Set<Execution> held;

  Heartbeat(PoolContext ctx, Set<Execution> held) {
    this.ctx = ctx;
    this.held = held;
  }

  @Override
  public void run() {
    for (Execution e : held) {
      if (!e.isLive()) {
        continue;
      }
      try {
        e.extended(ctx.broker().extend(e.lease(), ctx.config().leaseTime()));
      } catch (LeaseLostException lost) {
        // Reclaimed and maybe running elsewhere: a claimed or parked task here must not run as well.
        if (e.state() == Execution.State.PENDING && e.abandonLease()) {
          held.remove(e);
        }
        log.debug("task {}: lease lost while held", e.task().id());
      } catch (RuntimeException error) {
        ctx.brokerErrors().warn("lease renewal failed", error);
      }
    }
  }
}
