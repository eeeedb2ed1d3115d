package dev.dq.core.worker;

import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.lifecycle.UniqueOutcome;
import dev.dq.core.lifecycle.UniqueTasks;
import dev.dq.core.port.Broker;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Enqueues tasks and reports each accepted one as {@link TaskEvent.Enqueued}, and each unique task
 * whose key was held as {@link TaskEvent.UniqueHit}. Thread-safe.
 */
public final class Producer {
  private final Broker broker;
  private final TaskEventListener listener;

  /**
   * A producer on {@code broker}.
   *
   * @param broker where tasks go
   * @param listener told of each task the broker accepted
   */
  public Producer(Broker broker, TaskEventListener listener) {
    this.broker = Objects.requireNonNull(broker, "broker");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * See {@link Broker#enqueue}.
   *
   * @param task the task
   * @param timeout how long to wait for room
   * @throws InterruptedException interrupted while waiting; nothing was enqueued
   */
  public void publish(Task task, Duration timeout) throws InterruptedException {
    broker.enqueue(task, timeout);
    listener.on(new TaskEvent.Enqueued(task));
  }

  /**
   * See {@link Broker#enqueueAt}.
   *
   * @param task the task
   * @param notBefore when it becomes ready
   * @param timeout how long to wait for room
   * @throws InterruptedException interrupted while waiting; nothing was enqueued
   */
  public void publishAt(Task task, Instant notBefore, Duration timeout)
      throws InterruptedException {
    broker.enqueueAt(task, notBefore, timeout);
    listener.on(new TaskEvent.Enqueued(task));
  }

  /**
   * Enqueues {@code task} unless {@code key} is held in its queue; see {@link
   * UniqueTasks#enqueueUnique}. Reports {@link TaskEvent.Enqueued} or {@link TaskEvent.UniqueHit}.
   *
   * @param task the task
   * @param key its unique key
   * @param delay how long after its arrival it becomes ready; zero: at once
   * @param timeout how long to wait for room
   * @return the id of the task that holds the key, and whether this call enqueued it
   * @throws InterruptedException interrupted while waiting; nothing was enqueued
   * @throws UnsupportedOperationException the broker does not offer {@link UniqueTasks}
   */
  public UniqueOutcome publishUnique(Task task, UniqueKey key, Duration delay, Duration timeout)
      throws InterruptedException {
    if (!(broker instanceof UniqueTasks unique)) {
      throw new UnsupportedOperationException(
          "this broker does not offer unique tasks: " + broker.getClass().getName());
    }
    UniqueOutcome outcome = unique.enqueueUnique(task, key, delay, timeout);
    listener.on(
        outcome.enqueued()
            ? new TaskEvent.Enqueued(task)
            : new TaskEvent.UniqueHit(task, outcome.id()));
    return outcome;
  }

  /**
   * See {@link Broker#enqueueAll}.
   *
   * @param tasks the tasks, all of one queue
   * @param timeout how long to wait for room for the whole batch
   * @throws InterruptedException interrupted while waiting; nothing was enqueued
   */
  public void publishAll(List<Task> tasks, Duration timeout) throws InterruptedException {
    broker.enqueueAll(tasks, timeout);
    tasks.forEach(t -> listener.on(new TaskEvent.Enqueued(t)));
  }
}
