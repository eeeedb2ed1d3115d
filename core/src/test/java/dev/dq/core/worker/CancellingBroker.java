package dev.dq.core.worker;

import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.TaskCancels;
import dev.dq.core.port.Broker;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.TaskCancelledException;
import dev.dq.core.task.TaskId;
import dev.dq.testing.ForwardingBroker;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A {@link Broker} decorator for pool tests that offers {@link TaskCancels} the way the contract
 * says: a cancel marks the task, a marked task's retry or release ends it as cancelled ({@link
 * TaskCancelledException}), and {@link #settleCancelled} forgets the task like an ack. A hook may
 * run before each settleCancelled (to slow it down or throw). Thread-safe.
 */
final class CancellingBroker extends ForwardingBroker implements TaskCancels {
  /** A hook run before a settleCancelled reaches the broker; may throw. */
  @FunctionalInterface
  interface Hook {
    void run() throws Exception;
  }

  private final Set<TaskId> marked = ConcurrentHashMap.newKeySet();

  /** The ids ended as cancelled, in order: by settleCancelled, retry or release. */
  final List<String> endedCancelled = new CopyOnWriteArrayList<>();

  private volatile Hook beforeSettle = () -> {};

  CancellingBroker(Broker delegate) {
    super(delegate);
  }

  CancellingBroker beforeSettleCancelled(Hook hook) {
    beforeSettle = hook;
    return this;
  }

  /** Marks a task as its cancel would, whether or not it runs. */
  void mark(String id) {
    marked.add(new TaskId(id));
  }

  @Override
  public CancelOutcome cancel(String queue, TaskId id) {
    marked.add(id);
    return CancelOutcome.REQUESTED;
  }

  @Override
  public Set<TaskId> cancelRequested(String queue, Collection<TaskId> ids) {
    return ids.stream().filter(marked::contains).collect(Collectors.toSet());
  }

  @Override
  public void settleCancelled(Lease lease) {
    try {
      beforeSettle.run();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    endCancelled(lease);
  }

  @Override
  public void retryLater(Lease lease, Duration delay) {
    if (marked.contains(lease.task().id())) {
      endCancelled(lease);
      throw new TaskCancelledException("retry of " + lease.task().id() + ": cancelled");
    }
    super.retryLater(lease, delay);
  }

  @Override
  public void retryLater(Lease lease, Duration delay, Failure lastError) {
    if (marked.contains(lease.task().id())) {
      endCancelled(lease);
      throw new TaskCancelledException("retry of " + lease.task().id() + ": cancelled");
    }
    super.retryLater(lease, delay, lastError);
  }

  @Override
  public void release(Lease lease, Duration delay) {
    if (marked.contains(lease.task().id())) {
      endCancelled(lease);
      throw new TaskCancelledException("release of " + lease.task().id() + ": cancelled");
    }
    super.release(lease, delay);
  }

  private void endCancelled(Lease lease) {
    delegate.ack(lease); // forgets the task; throws LeaseLostException for a stale lease
    marked.remove(lease.task().id());
    endedCancelled.add(lease.task().id().value());
  }
}
