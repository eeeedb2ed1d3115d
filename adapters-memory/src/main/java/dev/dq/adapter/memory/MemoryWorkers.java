package dev.dq.adapter.memory;

import dev.dq.core.ops.LiveWorker;
import dev.dq.core.ops.WorkerStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The live worker processes of an {@link InMemoryBroker}: a map by id, entries expiring on the
 * broker's clock (removed when listed or replaced). Thread-safe by its own monitor.
 */
final class MemoryWorkers {
  private final InstantSource clock;
  private final TreeMap<String, LiveWorker> byId = new TreeMap<>();

  MemoryWorkers(InstantSource clock) {
    this.clock = clock;
  }

  synchronized void heartbeat(WorkerStatus status, Duration ttl) {
    Objects.requireNonNull(status, "status");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    Instant now = clock.instant();
    byId.put(status.id(), new LiveWorker(status, now, now.plus(ttl)));
  }

  synchronized boolean deregister(String id) {
    Objects.requireNonNull(id, "id");
    return byId.remove(id) != null;
  }

  synchronized List<LiveWorker> list() {
    Instant now = clock.instant();
    byId.values().removeIf(w -> !w.expiresAt().isAfter(now));
    return new ArrayList<>(byId.values());
  }
}
