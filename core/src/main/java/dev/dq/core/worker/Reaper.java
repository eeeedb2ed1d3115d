package dev.dq.core.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the broker to take back tasks whose leases expired, from any pool, so that a dead worker's
 * tasks run again. Every pool runs one; the broker makes concurrent reclaims safe (each expired
 * task is re-queued once).
 */
final class Reaper implements Periodic.Job {
  private static final Logger log = LoggerFactory.getLogger(Reaper.class);

  private final PoolServices services;

  Reaper(PoolServices services) {
    this.services = services;
  }

  @Override
  public boolean runOnce() {
    try {
      int reclaimed = services.broker().reclaimExpiredLeases();
      if (reclaimed > 0) {
        log.info("reclaimed {} tasks whose leases expired", reclaimed);
      }
      return true;
    } catch (RuntimeException e) {
      services.brokerErrors().warn("reclaiming expired leases failed", e);
      return false;
    }
  }
}
