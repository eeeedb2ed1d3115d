package dev.dq.core.port;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Pausing and resuming whole queues, offered by brokers as an optional capability (ask with {@code
 * broker instanceof QueuePauses pauses}).
 *
 * <p><b>Contract.</b> A paused queue still accepts enqueues (they count against its capacity as
 * usual); no dequeue of any process hands out a task of it while the pause lasts, whatever made the
 * task ready (an enqueue, a delayed task falling due, a retry, a release or a reclaimed lease): a
 * dequeue of a paused queue returns nothing, waiting as it would on an empty queue, and without
 * polling. Leases taken before the pause stay valid: they can be settled and extended as usual.
 * Workers hand back the tasks they claimed but have not started ({@link Broker#release}, no attempt
 * spent), see {@link #addPauseListener}. Counts ({@link Broker#stats}) do not change. A pause lasts
 * until {@link #resume}, or, with a duration, until that much time has passed on the broker's
 * clock; a durable broker keeps it across restarts of workers and of itself. Resuming wakes the
 * dequeues waiting on the queue at once.
 *
 * <p>Thread-safe, like the broker.
 */
public interface QueuePauses {

  /**
   * Pauses {@code queue}, or replaces its current pause (the new one's {@code by}, {@code reason},
   * time and duration win).
   *
   * @param queue the queue to pause; need not hold tasks or be known yet
   * @param by who pauses it, for operators (for instance {@code user@host}); may be empty
   * @param reason why, for operators; may be empty
   * @param duration how long the pause lasts on the broker's clock; empty for until {@link #resume}
   * @return the pause as stored, with the broker's time
   * @throws IllegalArgumentException {@code duration} is zero or negative
   * @throws dev.dq.core.task.InvalidTaskException {@code queue} is not a valid queue name
   * @throws BrokerUnavailableException the broker could not be reached; the queue may or may not be
   *     paused
   */
  QueuePause pause(String queue, String by, String reason, Optional<Duration> duration);

  /**
   * Ends the pause of {@code queue}, if any, and wakes the dequeues waiting on it.
   *
   * @param queue the queue to resume
   * @return true if it was paused
   * @throws dev.dq.core.task.InvalidTaskException {@code queue} is not a valid queue name
   * @throws BrokerUnavailableException the broker could not be reached
   */
  boolean resume(String queue);

  /**
   * The current pause of {@code queue}.
   *
   * @param queue the queue
   * @return its pause, or empty if it is not paused (a pause whose duration has passed is over)
   * @throws dev.dq.core.task.InvalidTaskException {@code queue} is not a valid queue name
   * @throws BrokerUnavailableException the broker could not be reached
   */
  Optional<QueuePause> pauseOf(String queue);

  /**
   * Every queue paused now, among the queues the broker knows ({@link Broker#queues()}), sorted by
   * queue name.
   *
   * @return the pauses
   * @throws BrokerUnavailableException the broker could not be reached
   */
  List<QueuePause> pauses();

  /**
   * Asks to be told the name of a queue as soon as this broker instance learns that it is paused:
   * through its own {@link #pause}, or a dequeue that found the queue paused. A hint that lets a
   * worker pool hand back its claimed, unstarted tasks of that queue at once; it may come late or
   * never (another process paused the queue and no dequeue of this instance ran since), so pools
   * also ask {@link #pauseOf} periodically. The listener runs on the thread that learned it, must
   * return quickly and should not throw. The default never calls it.
   *
   * @param onPaused called with the paused queue's name
   */
  default void addPauseListener(Consumer<String> onPaused) {}
}
