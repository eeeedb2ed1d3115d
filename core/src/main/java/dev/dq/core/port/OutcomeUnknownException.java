package dev.dq.core.port;

import dev.dq.core.task.TaskId;
import dev.dq.core.task.TaskQueueException;
import java.util.List;

/**
 * A write may or may not have been applied: the request reached the broker's connection, but the
 * reply was lost (connection cut, backing store down) and no later try got an answer before the
 * timeout. Unlike {@link BrokerUnavailableException}, "nothing happened" cannot be assumed: sending
 * the same tasks again may create duplicates. {@link #ids()} names the tasks whose fate is unknown,
 * so the caller can check them.
 */
public final class OutcomeUnknownException extends TaskQueueException {
  private static final long serialVersionUID = 1L;

  private final transient List<TaskId> ids;

  /**
   * Creates the exception.
   *
   * @param message what happened
   * @param ids the tasks whose fate is unknown
   * @param cause the error of the last try
   */
  public OutcomeUnknownException(String message, List<TaskId> ids, Throwable cause) {
    super(message, cause);
    this.ids = List.copyOf(ids);
  }

  /**
   * The tasks that may or may not have been accepted, in the order they were given.
   *
   * @return their ids
   */
  public List<TaskId> ids() {
    return ids;
  }
}
