package dev.dq.core.port;

/**
 * Operator actions on whole queues, offered by brokers that support them as an optional capability.
 * Tools (benchmarks, the CLI, a dashboard) ask for it with {@code broker instanceof QueueAdmin
 * admin} on the {@link Broker} port, never by casting to an adapter class.
 */
public interface QueueAdmin {

  /**
   * Removes every trace of {@code queue} if it holds no task at all (none ready, delayed, in flight
   * or dead). Atomic: a task enqueued concurrently is never deleted.
   *
   * @param queue the queue to delete
   * @throws IllegalStateException the queue still holds tasks (the message gives the counts);
   *     nothing changed
   */
  void deleteQueue(String queue);

  /**
   * Bytes the backing store uses now, for capacity planning and benchmarks; -1 when it cannot tell.
   *
   * @return the bytes used, or -1
   */
  long usedMemoryBytes();
}
