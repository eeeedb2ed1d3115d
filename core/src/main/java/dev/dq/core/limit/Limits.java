package dev.dq.core.limit;

import java.util.List;
import java.util.Optional;

/**
 * Global rate and concurrency limits, kept in the broker so that every process claiming from it
 * obeys them, and a change applies to running workers without a restart. Offered by brokers as an
 * optional capability: tools ask with {@code broker instanceof Limits limits}.
 *
 * <p><b>Where limits act.</b> A broker admits a task against the limits in the same atomic step
 * that hands out its lease (the Redis claim script on server time; the in-memory broker's lock), so
 * no number of processes can exceed a limit together. A task held back by a limit:
 *
 * <ul>
 *   <li>costs no attempt, is not failed and holds no lease: it stays waiting;
 *   <li>keeps its place: the tasks of a type or queue start in the order they would have without
 *       the limit;
 *   <li>does not hold back other types or queues: a dequeue skips a type that is closed and takes
 *       the next task of an open one (no head-of-line blocking);
 *   <li>is not polled for: a dequeue that finds only limited work waits, within its {@code wait},
 *       until the limit's next opening (a rate's next start, a lease's expiry) or a wake-up (a
 *       settle of a limited task wakes one waiter).
 * </ul>
 *
 * <p><b>Rate</b> ({@link Rate}) counts <i>starts</i> (leases handed out), not completions. A
 * dequeue batch takes at most what the rate allows at that instant.
 *
 * <p><b>Concurrency</b> counts unexpired leases under the limit: a lease counts from its claim
 * until it is settled (ack, retry, release, dead letter) or expires. Extending a lease keeps its
 * permit; a worker killed without settling gives its permits back when its leases expire, never
 * later. A dequeue batch takes at most the permits left, so prefetched tasks count.
 *
 * <p><b>Scope.</b> A queue limit covers every task of that queue. A type limit covers the tasks of
 * that type <i>in each queue separately</i>: two queues holding tasks of one limited type may each
 * run up to the limit. (Brokers keep a queue's state in one place, a Redis Cluster slot, and admit
 * atomically there; put a limited type in one queue for one global budget.) A task under both a
 * queue and a type limit starts only when both allow it.
 *
 * <p>A change (set, remove) applies to claims that start after it returns in this process, and in
 * other processes within about a second.
 */
public interface Limits {

  /**
   * Sets the limit of {@code limit.target()}, replacing any it had. The state of the old limit (the
   * rate's budget used so far, the leases running) carries over.
   *
   * @param limit the limit
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached
   */
  void setLimit(Limit limit);

  /**
   * Removes the limit of {@code target}; tasks it held back become claimable at once, in order.
   *
   * @param target the type or queue
   * @return whether it had a limit
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached
   */
  boolean removeLimit(LimitTarget target);

  /**
   * Every limit set, sorted by {@link LimitTarget#key()}.
   *
   * @return the limits
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached
   */
  List<Limit> limits();

  /**
   * The limit of {@code target}, if any.
   *
   * @param target the type or queue
   * @return its limit, or empty
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached
   */
  default Optional<Limit> limit(LimitTarget target) {
    return limits().stream().filter(l -> l.target().equals(target)).findFirst();
  }

  /**
   * How many dequeues of this broker instance (this process) a limit held back, by queue and
   * reason: a dequeue that found waiting work and took none of it for a limit counts once per
   * claim.
   *
   * @return the counts that are not zero
   */
  List<LimitedClaims> limitedClaims();
}
