package dev.dq.adapter.memory;

import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import java.time.Instant;

/** One delivery that a worker holds: the broker's side of a {@link Lease}. */
record InFlight(Task task, long token, Instant expiresAt) {

  boolean expiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  boolean matches(Lease lease) {
    return token == lease.token();
  }

  InFlight extendedTo(Instant newExpiry) {
    return new InFlight(task, token, newExpiry);
  }

  Lease toLease() {
    return new Lease(task, token, expiresAt);
  }
}
