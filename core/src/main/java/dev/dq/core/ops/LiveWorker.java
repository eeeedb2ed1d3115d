package dev.dq.core.ops;

import java.time.Instant;
import java.util.Objects;

/**
 * A worker process the broker considers alive, as {@link WorkerRegistry#list} reports it.
 *
 * @param status what it reported at its last heartbeat
 * @param lastHeartbeat when the broker received that heartbeat (broker's clock)
 * @param expiresAt when it counts as gone unless it beats again (broker's clock)
 */
public record LiveWorker(WorkerStatus status, Instant lastHeartbeat, Instant expiresAt) {
  /**
   * Checks that every component is present.
   *
   * @param status what it reported at its last heartbeat
   * @param lastHeartbeat when the broker received that heartbeat (broker's clock)
   * @param expiresAt when it counts as gone unless it beats again (broker's clock)
   * @throws NullPointerException a component is null
   */
  public LiveWorker {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}
