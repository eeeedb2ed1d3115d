package dev.dq.core.lifecycle;

import dev.dq.core.port.Lease;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Task state by id, results and awaiting a task's end, offered by brokers as an optional capability
 * (ask with {@code broker instanceof TaskLookup lookup}).
 *
 * <p><b>Contract.</b> {@link #find} answers from the broker's own records, never by scanning a
 * queue: a held task is {@code READY}, {@code DELAYED}, {@code ACTIVE}, {@code RETRYING} or {@code
 * DEAD}; an acked one is {@code SUCCEEDED} (with its result, if {@link #complete} stored one) and a
 * cancelled one {@code CANCELLED}, for as long as the queue's {@link Retention} keeps them; an id
 * the broker does not know (never enqueued, or trimmed) is empty, never {@code READY}. A result is
 * stored only by the delivery that still holds a valid lease when it completes: a worker whose
 * lease was lost cannot overwrite the result of the delivery that owns the task now.
 *
 * <p>Thread-safe, like the broker; answers are the same from every process on the broker.
 */
public interface TaskLookup {

  /**
   * What the broker knows of task {@code id} of {@code queue}.
   *
   * @param queue the task's queue
   * @param id the task's id
   * @return its state and details, or empty if the broker does not know it
   * @throws dev.dq.core.task.InvalidTaskException {@code queue} is not a valid queue name
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached
   */
  Optional<TaskInfo> find(String queue, TaskId id);

  /**
   * {@link #find} for several ids of one queue in one step (one round trip where the broker can).
   *
   * @param queue the tasks' queue
   * @param ids the ids to look up
   * @return the known ones, by id; unknown ids are absent
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached
   */
  default Map<TaskId, TaskInfo> findAll(String queue, Collection<TaskId> ids) {
    Map<TaskId, TaskInfo> found = new java.util.LinkedHashMap<>();
    for (TaskId id : ids) {
      find(queue, id).ifPresent(info -> found.put(id, info));
    }
    return found;
  }

  /**
   * Acks successful deliveries as {@link dev.dq.core.port.Broker#ackAll} does, and stores each
   * one's result with its {@code SUCCEEDED} record. Each is judged on its own; a lease that is not
   * valid changes nothing (its result is not stored). Repeating the call with the same completions
   * after an unknown outcome answers exactly, as {@code ackAll} does.
   *
   * @param completions the deliveries that succeeded, with their results
   * @return the leases that were not valid, in the order given; empty when all were acked
   * @throws dev.dq.core.task.InvalidTaskException a result is larger than the broker's result limit
   *     (nothing was acked)
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached; some may
   *     have been acked
   */
  List<Lease> complete(List<Completion> completions);

  /**
   * Waits until task {@code id} reaches a {@link TaskState#isTerminal terminal} state and returns
   * it. Never misses an end that happened before the call (it is answered at once from the record);
   * never waits longer than {@code timeout}; an id not known yet is waited for (it may be enqueued
   * meanwhile).
   *
   * @param queue the task's queue
   * @param id the task's id
   * @param timeout how long to wait at most; zero looks once
   * @return the task's terminal state and details (a {@code DEAD} answer may leave out the payload,
   *     which {@link #find} gives), or empty if it did not reach one in time
   * @throws InterruptedException interrupted while waiting
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached
   */
  Optional<TaskInfo> await(String queue, TaskId id, Duration timeout) throws InterruptedException;
}
