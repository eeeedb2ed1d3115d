package dev.dq.core.ops;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a worker process reports of itself at each heartbeat ({@link WorkerRegistry#heartbeat}).
 *
 * @param id the process's id, unique on the broker: {@code host:pid} and a random suffix
 * @param host the host name it runs on
 * @param pid its operating-system process id
 * @param version the dq version it runs ({@code "unknown"} if not known)
 * @param queues the queues it takes tasks from
 * @param slotsTotal how many tasks it may run at once
 * @param slotsBusy how many it holds now
 * @param startedAt when it started (its own clock)
 * @param running some of the tasks it runs now, at most {@link #MAX_RUNNING}
 */
public record WorkerStatus(
    String id,
    String host,
    long pid,
    String version,
    List<String> queues,
    int slotsTotal,
    int slotsBusy,
    Instant startedAt,
    List<RunningTask> running) {

  /** Most running tasks one status carries; a busier process reports the first ones. */
  public static final int MAX_RUNNING = 100;

  /**
   * Checks the components, copies the lists and keeps the first {@link #MAX_RUNNING} running tasks.
   *
   * @param id the process's id, unique on the broker: {@code host:pid} and a random suffix
   * @param host the host name it runs on
   * @param pid its operating-system process id
   * @param version the dq version it runs ({@code "unknown"} if not known)
   * @param queues the queues it takes tasks from
   * @param slotsTotal how many tasks it may run at once
   * @param slotsBusy how many it holds now
   * @param startedAt when it started (its own clock)
   * @param running some of the tasks it runs now; those beyond {@link #MAX_RUNNING} are dropped
   * @throws NullPointerException a component is null
   * @throws IllegalArgumentException {@code id} is blank or a count is negative
   */
  public WorkerStatus {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id is blank");
    }
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(version, "version");
    queues = List.copyOf(queues);
    if (slotsTotal < 0 || slotsBusy < 0) {
      throw new IllegalArgumentException("negative slot count: " + slotsBusy + "/" + slotsTotal);
    }
    Objects.requireNonNull(startedAt, "startedAt");
    running = List.copyOf(running.subList(0, Math.min(running.size(), MAX_RUNNING)));
  }
}
