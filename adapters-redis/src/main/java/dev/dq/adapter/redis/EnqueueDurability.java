package dev.dq.adapter.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * When an enqueue counts as done: as soon as the primary applied it ({@link #NONE}, the default),
 * or only once {@code replicas} replicas acknowledged it ({@code WAIT}) and/or, with {@code fsync},
 * the primary wrote it to its append-only file ({@code WAITAOF}, Redis 7.2 or later), each within
 * {@code timeout}. Confirmation runs on the connection that did the write, right after it. An
 * enqueue applied on the primary but not confirmed in time throws {@link
 * dev.dq.core.port.OutcomeUnknownException}: the task is there but may not survive a failover.
 *
 * <p>Redis replication stays asynchronous: a confirmed enqueue survives the loss of the primary as
 * long as one of the confirming replicas is the one promoted (with {@code replicas} = all replicas,
 * any promoted replica has it).
 *
 * @param replicas replicas that must acknowledge each enqueue; 0 = do not wait for replicas
 * @param fsync whether the primary must have fsynced each enqueue to its append-only file
 * @param timeout longest wait for the confirmations; ignored by {@link #NONE}
 */
public record EnqueueDurability(int replicas, boolean fsync, Duration timeout) {
  /** Done once the primary applied it: no WAIT. */
  public static final EnqueueDurability NONE =
      new EnqueueDurability(0, false, Duration.ofSeconds(1));

  /**
   * Checks the values.
   *
   * @param replicas 0 or more
   * @param fsync whether to wait for the primary's fsync
   * @param timeout at least 1 ms ({@code WAIT} with 0 would block forever)
   * @throws IllegalArgumentException if a value is out of range
   */
  public EnqueueDurability {
    if (replicas < 0) {
      throw new IllegalArgumentException("durable replicas must be >= 0: " + replicas);
    }
    Objects.requireNonNull(timeout, "durable timeout");
    if (timeout.toMillis() < 1) {
      throw new IllegalArgumentException("durable timeout must be >= 1ms: " + timeout);
    }
  }

  /**
   * Whether an enqueue waits for any confirmation at all.
   *
   * @return true if replicas or fsync must confirm
   */
  public boolean confirms() {
    return replicas > 0 || fsync;
  }

  @Override
  public String toString() {
    if (!confirms()) {
      return "none";
    }
    return (replicas > 0 ? "replicas=" + replicas : "")
        + (replicas > 0 && fsync ? "," : "")
        + (fsync ? "fsync" : "")
        + " within "
        + timeout.toMillis()
        + "ms";
  }
}
