package dev.dq.core.ops;

import java.time.Duration;
import java.util.List;

/**
 * The live worker processes of a broker, offered as an optional capability (ask with {@code broker
 * instanceof WorkerRegistry registry}). A {@link dev.dq.core.worker.WorkerPool} registers itself
 * when it starts, beats every few seconds and deregisters when it stops.
 *
 * <p><b>Contract.</b> {@link #heartbeat} registers a process or refreshes it: it is listed until
 * {@code ttl} after that call on the broker's clock, then it is gone, so a process that died
 * without deregistering disappears within one {@code ttl}. {@link #deregister} removes it at once.
 * {@link #list} returns only the processes whose time has not passed, the same from every process
 * on the broker. Bounded: one entry per live process, each with at most {@link
 * WorkerStatus#MAX_RUNNING} running tasks.
 *
 * <p>Thread-safe.
 */
public interface WorkerRegistry {

  /**
   * Registers {@code status}'s process, or replaces its earlier status, and keeps it listed for
   * {@code ttl} from now (broker's clock).
   *
   * @param status what the process reports of itself
   * @param ttl how long it stays listed without another heartbeat; positive
   * @throws IllegalArgumentException {@code ttl} is not positive
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached
   */
  void heartbeat(WorkerStatus status, Duration ttl);

  /**
   * Removes a process from the list at once (it stops).
   *
   * @param id the process's id
   * @return whether it was listed
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached
   */
  boolean deregister(String id);

  /**
   * The processes whose last heartbeat has not expired, ordered by id.
   *
   * @return the live processes
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached
   */
  List<LiveWorker> list();
}
