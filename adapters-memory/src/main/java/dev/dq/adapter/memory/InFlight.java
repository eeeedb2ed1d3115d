package dev.dq.adapter.memory;

import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import java.time.Instant;

/**
 * One delivery that a worker holds: the broker's side of a {@link Lease}; {@code leasedAt} is when
 * it was handed out (the attempt's start, as a finished task's record tells).
 */
record InFlight(Task task, long token, Instant expiresAt, Instant leasedAt) {

  boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  boolean matches(Lease lease) {
    return token == lease.token();
  }

  InFlight extendedTo(Instant newExpiry) {
    return new InFlight(task, token, newExpiry, leasedAt);
  }

  Lease toLease() {
    return new Lease(task, token, expiresAt);
  }
}
