package dev.dq.core.lifecycle;

/**
 * How long ended tasks are kept, per queue, offered by brokers as an optional capability (ask with
 * {@code broker instanceof TaskRetention retention}).
 *
 * <p><b>Contract.</b> Every queue keeps its ended tasks within its {@link Retention} ({@link
 * Retention#DEFAULT} unless set): {@link #trim} removes the records beyond it, oldest first, with
 * everything they hold (result, unique key, cancel mark), so no key of a trimmed task is left
 * behind. Worker pools call {@link #trim} periodically for every queue the broker knows, whether it
 * has traffic or not, so memory stays bounded without an operator.
 *
 * <p>Thread-safe, like the broker; settings are shared by every process on the broker.
 */
public interface TaskRetention {

  /**
   * The retention of {@code queue}.
   *
   * @param queue the queue
   * @return its retention, {@link Retention#DEFAULT} unless set
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached
   */
  Retention retentionOf(String queue);

  /**
   * Sets the retention of {@code queue}; the next {@link #trim} applies it.
   *
   * @param queue the queue
   * @param retention its retention
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached
   */
  void setRetention(String queue, Retention retention);

  /**
   * Removes the ended tasks of {@code queue} beyond its retention (a bounded amount per call; call
   * again while it removes something).
   *
   * @param queue the queue
   * @return what was removed
   * @throws dev.dq.core.port.BrokerUnavailableException the broker could not be reached
   */
  Trimmed trim(String queue);
}
