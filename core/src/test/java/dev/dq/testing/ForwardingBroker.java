package dev.dq.testing;

import dev.dq.core.port.Broker;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Broker} that passes every call to another, for test decorators to override only the
 * calls they intercept (Guava's {@code Forwarding*} pattern). The batch calls forward as batches,
 * so a decorator sees the round trips the caller really makes.
 */
public abstract class ForwardingBroker implements Broker {
  /** The broker every call not overridden goes to. */
  protected final Broker delegate;

  protected ForwardingBroker(Broker delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void enqueue(Task task, Duration timeout) throws InterruptedException {
    delegate.enqueue(task, timeout);
  }

  @Override
  public void enqueueAt(Task task, Instant notBefore, Duration timeout)
      throws InterruptedException {
    delegate.enqueueAt(task, notBefore, timeout);
  }

  @Override
  public void enqueueIn(Task task, Duration delay, Duration timeout) throws InterruptedException {
    delegate.enqueueIn(task, delay, timeout);
  }

  @Override
  public void enqueueAll(List<Task> tasks, Duration timeout) throws InterruptedException {
    delegate.enqueueAll(tasks, timeout);
  }

  @Override
  public Optional<Lease> dequeue(String queue, Duration leaseTime, Duration wait)
      throws InterruptedException {
    return delegate.dequeue(queue, leaseTime, wait);
  }

  @Override
  public List<Lease> dequeueBatch(String queue, int max, Duration leaseTime, Duration wait)
      throws InterruptedException {
    return delegate.dequeueBatch(queue, max, leaseTime, wait);
  }

  @Override
  public void ack(Lease lease) {
    delegate.ack(lease);
  }

  @Override
  public List<Lease> ackAll(List<Lease> leases) {
    return delegate.ackAll(leases);
  }

  @Override
  public Lease extend(Lease lease, Duration leaseTime) {
    return delegate.extend(lease, leaseTime);
  }

  @Override
  public List<Optional<Lease>> extendAll(List<Lease> leases, Duration leaseTime) {
    return delegate.extendAll(leases, leaseTime);
  }

  @Override
  public void retryLater(Lease lease, Duration delay) {
    delegate.retryLater(lease, delay);
  }

  @Override
  public void retryLater(Lease lease, Duration delay, dev.dq.core.port.Failure lastError) {
    delegate.retryLater(lease, delay, lastError);
  }

  @Override
  public void release(Lease lease, Duration delay) {
    delegate.release(lease, delay);
  }

  @Override
  public void deadLetter(Lease lease, Failure failure) {
    delegate.deadLetter(lease, failure);
  }

  @Override
  public int reclaimExpiredLeases() {
    return delegate.reclaimExpiredLeases();
  }

  @Override
  public QueueStats stats(String queue) {
    return delegate.stats(queue);
  }

  @Override
  public List<String> queues() {
    return delegate.queues();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
