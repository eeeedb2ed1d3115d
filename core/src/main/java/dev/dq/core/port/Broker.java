package dev.dq.core.port;

import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Holds tasks between producers and workers, on named queues, with <b>at-least-once</b> delivery.
 *
 * <p><b>Lifecycle of a task.</b> {@link #enqueue} makes it <i>ready</i> (or <i>delayed</i> until a
 * not-before time). {@link #dequeue} hands it to one worker under a {@link Lease}: it is then <i>in
 * flight</i> and no other dequeue sees it. The worker settles the lease exactly once: {@link #ack}
 * (done, forgotten), {@link #retryLater} (delayed, next attempt), {@link #release} (back, same
 * attempt) or {@link #deadLetter} (given up). A lease that is neither settled nor {@link #extend
 * extended} before it expires, for instance because its worker died, is taken back by {@link
 * #reclaimExpiredLeases} and the task becomes ready again with the same attempt number. Nothing
 * accepted is ever dropped silently: a task leaves the broker only through {@code ack} or the
 * dead-letter queue.
 *
 * <p><b>Ordering.</b> Each task has a {@link Task#priority() priority} 0..9 (default {@value
 * Task#DEFAULT_PRIORITY}). Within a queue a ready task of a higher priority is always taken before
 * a ready one of a lower priority, and each priority level is FIFO for its ready tasks. A task
 * keeps its level for as long as the broker holds it: delayed, retried, released, reclaimed and
 * requeued from the dead-letter queue, it comes back at its own level. A task released with a zero
 * delay goes back to the head of its level; a retried or reclaimed one, or a delayed one once due,
 * to the tail of its level. Priorities order tasks within one queue only; across queues, the caller
 * chooses which queue to take from.
 *
 * <p><b>Capacity.</b> Each queue holds at most a configured number of waiting (ready + delayed)
 * tasks. Producers block while it is full; settling calls ({@code retryLater}, {@code release}) and
 * reclaims never block and never fail for capacity, so a queue may briefly exceed it rather than
 * lose a task.
 *
 * <p><b>Threads.</b> Implementations are safe for use by any number of threads and processes at
 * once. Blocking calls are bounded by their timeout and respond to interruption by throwing {@link
 * InterruptedException} with nothing changed.
 *
 * <p><b>Errors.</b> {@link BrokerUnavailableException} when the backing store cannot be reached
 * (transient), {@link BrokerClosedException} after {@link #close}, {@link LeaseLostException} when
 * a lease is no longer valid.
 */
public interface Broker extends AutoCloseable {

  /**
   * Adds a task, blocking while its queue is full.
   *
   * @param task the task; its queue is {@link Task#queue()}
   * @param timeout how long to wait for room; zero fails at once when full
   * @throws QueueFullException still full after {@code timeout}; nothing was enqueued
   * @throws DuplicateTaskException the queue holds a task with the same id already
   * @throws InvalidTaskException the task breaks the broker's size limits
   * @throws BrokerClosedException after {@link #close}
   * @throws BrokerUnavailableException the backing store could not be reached; nothing was enqueued
   * @throws OutcomeUnknownException a try may have been applied but its reply was lost, and no
   *     later try got an answer within {@code timeout} (or the wait was interrupted, with the flag
   *     kept): the task may or may not be held. Retries within one call are exact (an applied try
   *     is never applied twice); a new call is not
   * @throws InterruptedException interrupted while waiting; nothing was enqueued
   */
  void enqueue(Task task, Duration timeout) throws InterruptedException;

  /**
   * Adds a task that becomes ready at {@code notBefore} (immediately if that is not in the future).
   * Counts against capacity like {@link #enqueue}, and fails like it.
   *
   * @param task the task
   * @param notBefore when it becomes ready
   * @param timeout how long to wait for room; zero fails at once when full
   * @throws InterruptedException interrupted while waiting; nothing was enqueued
   */
  void enqueueAt(Task task, Instant notBefore, Duration timeout) throws InterruptedException;

  /**
   * Adds a task that becomes ready once {@code delay} has passed <b>on the broker's clock</b>: a
   * relative delay, so a producer whose clock is off neither hastens nor postpones it (unlike
   * {@link #enqueueAt}, whose time is absolute). Counts against capacity like {@link #enqueue}, and
   * fails like it. Each broker resolves the delay on the clock it reads lease expiry from (the
   * Redis server's TIME, an injected clock): there is no default, since this JVM's clock is exactly
   * the producer's clock that must not count.
   *
   * @param task the task
   * @param delay how long after its arrival on the broker's clock it becomes ready
   * @param timeout how long to wait for room; zero fails at once when full
   * @throws IllegalArgumentException {@code delay} is negative
   * @throws InterruptedException interrupted while waiting; nothing was enqueued
   */
  void enqueueIn(Task task, Duration delay, Duration timeout) throws InterruptedException;

  /**
   * Adds a batch to one queue atomically: all tasks or none. Blocks until the whole batch fits.
   *
   * @param tasks the tasks, all of one queue
   * @param timeout how long to wait for room for the whole batch
   * @throws IllegalArgumentException the tasks name more than one queue, or the batch can never fit
   *     (larger than the capacity)
   * @throws InvalidTaskException a task breaks the size limits (the message names it); nothing was
   *     enqueued
   * @throws DuplicateTaskException an id is held already or appears twice; nothing was enqueued
   * @throws OutcomeUnknownException as for {@link #enqueue}; the whole batch is either held or not
   * @throws InterruptedException interrupted while waiting; nothing was enqueued
   */
  void enqueueAll(List<Task> tasks, Duration timeout) throws InterruptedException;

  /**
   * Takes the oldest ready task of the highest priority level of {@code queue} that has one (see
   * <i>Ordering</i> above), waiting up to {@code wait} for one. Due delayed tasks are made ready
   * first.
   *
   * @param queue the queue to take from
   * @param leaseTime how long the returned lease lasts unless extended
   * @param wait how long to wait for a ready task; zero does not wait
   * @return the lease, or empty if nothing became ready within {@code wait}
   * @throws BrokerClosedException the broker was closed and {@code queue} has no ready task left
   * @throws InterruptedException interrupted while waiting
   */
  Optional<Lease> dequeue(String queue, Duration leaseTime, Duration wait)
      throws InterruptedException;

  /**
   * Takes up to {@code max} ready tasks of {@code queue} in one step, waiting up to {@code wait}
   * for the first; the rest are only those ready at once. Each comes with its own lease, as from
   * {@link #dequeue}. Brokers that can claim several tasks in one round trip override this; the
   * default calls {@link #dequeue} repeatedly.
   *
   * @param queue the queue to take from
   * @param max most tasks to take, at least 1
   * @param leaseTime how long each lease lasts unless extended
   * @param wait how long to wait for the first ready task
   * @return between 0 and {@code max} leases, in the order {@link #dequeue} would have taken them
   *     (highest priority first, oldest first within a level)
   * @throws IllegalArgumentException {@code max < 1}
   * @throws BrokerClosedException the broker was closed and {@code queue} has no ready task left
   * @throws InterruptedException interrupted while waiting for the first task (an interrupt after
   *     it returns the leases taken, with the flag set)
   */
  default List<Lease> dequeueBatch(String queue, int max, Duration leaseTime, Duration wait)
      throws InterruptedException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1: " + max);
    }
    Optional<Lease> first = dequeue(queue, leaseTime, wait);
    if (first.isEmpty()) {
      return List.of();
    }
    List<Lease> leases = new java.util.ArrayList<>(max);
    leases.add(first.get());
    try {
      while (leases.size() < max) {
        Optional<Lease> next = dequeue(queue, leaseTime, Duration.ZERO);
        if (next.isEmpty()) {
          break;
        }
        leases.add(next.get());
      }
    } catch (BrokerClosedException drained) {
      // closed and now empty: return what was taken
    } catch (InterruptedException e) {
      Thread.currentThread()
          .interrupt(); // leases already taken must reach the caller; it sees the flag
    }
    return leases;
  }

  /**
   * Marks the task done and forgets it.
   *
   * @param lease the lease of the delivery
   * @throws LeaseLostException the lease is not valid; nothing changed
   */
  void ack(Lease lease);

  /**
   * Acks several leases in one step; each is judged on its own, as by {@link #ack}. Brokers that
   * can ack in one round trip override this; the default calls {@link #ack} for each.
   *
   * <p><b>Unknown outcomes.</b> A {@link BrokerUnavailableException} leaves it unknown which acks
   * landed. Calling {@code ackAll} again with the same leases is safe and answers exactly: a lease
   * the earlier call acked is reported acked, not lost. Callers settle the doubt that way instead
   * of guessing.
   *
   * @param leases the leases to ack
   * @return the leases that were not valid (nothing changed for those), in the order given; empty
   *     when all were acked
   */
  default List<Lease> ackAll(List<Lease> leases) {
    List<Lease> lost = new java.util.ArrayList<>();
    for (Lease lease : leases) {
      try {
        ack(lease);
      } catch (LeaseLostException e) {
        lost.add(lease);
      }
    }
    return lost;
  }

  /**
   * Pushes the lease's expiry to {@code leaseTime} from now (broker's clock).
   *
   * @param lease the lease to extend
   * @param leaseTime how long it lasts from now
   * @return the extended lease, which replaces the old one
   * @throws LeaseLostException the lease is not valid; nothing changed
   */
  Lease extend(Lease lease, Duration leaseTime);

  /**
   * Extends several leases in one step; each is judged on its own, as by {@link #extend}. Brokers
   * that can extend in one round trip override this; the default calls {@link #extend} for each.
   *
   * @param leases the leases to extend
   * @param leaseTime how long each lasts from now
   * @return one entry per lease given, in order: the extended lease, or empty if that lease was not
   *     valid (nothing changed for it)
   * @throws BrokerUnavailableException the broker could not be reached; some leases may have been
   *     extended
   */
  default List<Optional<Lease>> extendAll(List<Lease> leases, Duration leaseTime) {
    List<Optional<Lease>> out = new java.util.ArrayList<>(leases.size());
    for (Lease lease : leases) {
      try {
        out.add(Optional.of(extend(lease, leaseTime)));
      } catch (LeaseLostException e) {
        out.add(Optional.empty());
      }
    }
    return out;
  }

  /**
   * Schedules the next attempt: the task comes back with {@code attempt + 1}, ready once {@code
   * delay} has passed on the broker's clock (a relative delay, so a worker's skewed clock neither
   * hastens nor postpones it).
   *
   * @param lease the lease of the failed delivery
   * @param delay how long until the next attempt is ready
   * @throws LeaseLostException the lease is not valid; nothing changed
   * @throws TaskCancelledException the task's cancel was requested: the delivery ended as cancelled
   *     instead (brokers that offer {@link dev.dq.core.lifecycle.TaskCancels} only)
   */
  void retryLater(Lease lease, Duration delay);

  /**
   * {@link #retryLater(Lease, Duration)}, keeping {@code lastError} as the failure of the attempt
   * that just failed, so that a lookup of the task while it waits for its next attempt shows it
   * ({@link dev.dq.core.lifecycle.TaskInfo#lastError}). Brokers that keep no task states ignore it
   * (the default); the error is forgotten when the task ends.
   *
   * @param lease the lease of the failed delivery
   * @param delay how long until the next attempt is ready
   * @param lastError the failure of the attempt that just failed
   * @throws LeaseLostException the lease is not valid; nothing changed
   * @throws TaskCancelledException the task's cancel was requested: the delivery ended as cancelled
   *     instead (brokers that offer {@link dev.dq.core.lifecycle.TaskCancels} only)
   */
  default void retryLater(Lease lease, Duration delay, Failure lastError) {
    java.util.Objects.requireNonNull(lastError, "lastError");
    retryLater(lease, delay);
  }

  /**
   * Hands the task back without spending an attempt (shutdown, interrupted handler, no local
   * capacity). It becomes ready once {@code delay} has passed on the broker's clock; with a zero
   * delay, at once at the head of its queue.
   *
   * @param lease the lease of the delivery
   * @param delay how long until the task is ready again
   * @throws LeaseLostException the lease is not valid; nothing changed
   * @throws TaskCancelledException the task's cancel was requested: the delivery ended as cancelled
   *     instead (brokers that offer {@link dev.dq.core.lifecycle.TaskCancels} only)
   */
  void release(Lease lease, Duration delay);

  /**
   * Moves the task to the dead-letter queue with {@code failure}.
   *
   * @param lease the lease of the delivery
   * @param failure why the task is given up
   * @throws LeaseLostException the lease is not valid; nothing changed
   */
  void deadLetter(Lease lease, Failure failure);

  /**
   * Makes every task whose lease has expired ready again (same attempt). Safe to run from many
   * places at once: each expired delivery is reclaimed exactly once.
   *
   * @return how many tasks were reclaimed by this call
   */
  int reclaimExpiredLeases();

  /**
   * Current counts of {@code queue}; an unknown queue has all zeros.
   *
   * @param queue the queue
   * @return its counts
   */
  QueueStats stats(String queue);

  /**
   * Names of the queues this broker has seen used, sorted, for operators' tools (stats,
   * dashboards). Best effort: a queue nobody has enqueued to may be missing. The default knows
   * none.
   *
   * @return the queue names, sorted
   */
  default List<String> queues() {
    return List.of();
  }

  /**
   * Stops accepting tasks. Idempotent. Tasks already ready can still be dequeued; in-flight leases
   * can still be settled. Releases the resources this instance holds; what happens to tasks still
   * held depends on the adapter's durability (the in-memory broker loses them with the process, a
   * durable one keeps them).
   */
  @Override
  void close();
}
