package dev.dq.adapter.memory;

import dev.dq.core.port.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Recent acks of {@link InMemoryBroker#ackAll}, by fencing token, so that calling it again with the
 * same leases reports them acked, as the port promises (a Redis broker needs this after a lost
 * reply; this one keeps the same contract). Each is remembered for three times what was left of its
 * lease, at least {@link #LEAST}, by the broker's clock. Not thread-safe: guarded by the store's
 * lock.
 */
final class AckMemory {
  static final Duration LEAST = Duration.ofSeconds(10);

  private record Acked(long token, Instant until) {}

  private final Map<Long, Instant> until = new HashMap<>();
  private final ArrayDeque<Acked> order = new ArrayDeque<>();

  void remember(Lease lease, Instant now) {
    Duration left = Duration.between(now, lease.expiresAt());
    Instant keep = now.plus(max(LEAST, left.multipliedBy(3)));
    until.put(lease.token(), keep);
    order.add(new Acked(lease.token(), keep));
  }

  boolean acked(Lease lease, Instant now) {
    forgetOld(now);
    Instant keep = until.get(lease.token());
    return keep != null && keep.isAfter(now);
  }

  /**
   * Drops entries from the oldest on, up to the first still remembered: memory stays bounded by the
   * ack rate.
   */
  private void forgetOld(Instant now) {
    for (Acked a; (a = order.peek()) != null && !a.until().isAfter(now); ) {
      order.poll();
      until.remove(a.token(), a.until());
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
