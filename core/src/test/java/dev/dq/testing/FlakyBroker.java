package dev.dq.testing;

import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Broker} decorator that makes chosen operations fail with {@link
 * BrokerUnavailableException} before they reach the real broker, as an outage would (asynq's
 * TestBroker). Thread-safe.
 */
public final class FlakyBroker extends ForwardingBroker {
  /** Operations that can be made to fail. */
  public enum Op {
    ENQUEUE,
    DEQUEUE,
    ACK,
    EXTEND,
    RETRY,
    RELEASE,
    DEAD_LETTER,
    RECLAIM
  }

  private final Map<Op, AtomicInteger> failures = new ConcurrentHashMap<>();

  public FlakyBroker(Broker delegate) {
    super(delegate);
  }

  /** The next {@code n} calls of {@code op} fail without reaching the broker. */
  public FlakyBroker failNext(Op op, int n) {
    failures.computeIfAbsent(op, o -> new AtomicInteger()).addAndGet(n);
    return this;
  }

  private void maybeFail(Op op) {
    AtomicInteger left = failures.get(op);
    if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new BrokerUnavailableException("injected failure of " + op);
    }
  }

  @Override
  public void enqueue(Task task, Duration timeout) throws InterruptedException {
    maybeFail(Op.ENQUEUE);
    delegate.enqueue(task, timeout);
  }

  @Override
  public void enqueueAt(Task task, Instant notBefore, Duration timeout)
      throws InterruptedException {
    maybeFail(Op.ENQUEUE);
    delegate.enqueueAt(task, notBefore, timeout);
  }

  @Override
  public void enqueueIn(Task task, Duration delay, Duration timeout) throws InterruptedException {
    maybeFail(Op.ENQUEUE);
    delegate.enqueueIn(task, delay, timeout);
  }

  @Override
  public void enqueueAll(List<Task> tasks, Duration timeout) throws InterruptedException {
    maybeFail(Op.ENQUEUE);
    delegate.enqueueAll(tasks, timeout);
  }

  @Override
  public Optional<Lease> dequeue(String queue, Duration leaseTime, Duration wait)
      throws InterruptedException {
    maybeFail(Op.DEQUEUE);
    return delegate.dequeue(queue, leaseTime, wait);
  }

  @Override
  public List<Lease> dequeueBatch(String queue, int max, Duration leaseTime, Duration wait)
      throws InterruptedException {
    maybeFail(Op.DEQUEUE);
    return delegate.dequeueBatch(queue, max, leaseTime, wait);
  }

  @Override
  public void ack(Lease lease) {
    maybeFail(Op.ACK);
    delegate.ack(lease);
  }

  @Override
  public List<Lease> ackAll(List<Lease> leases) {
    maybeFail(Op.ACK);
    return delegate.ackAll(leases);
  }

  @Override
  public Lease extend(Lease lease, Duration leaseTime) {
    maybeFail(Op.EXTEND);
    return delegate.extend(lease, leaseTime);
  }

  /**
   * One {@link #extend} per lease, as the port's default does, so each renewal can be made to fail.
   */
  @Override
  public List<Optional<Lease>> extendAll(List<Lease> leases, Duration leaseTime) {
    List<Optional<Lease>> out = new ArrayList<>(leases.size());
    for (Lease lease : leases) {
      try {
        out.add(Optional.of(extend(lease, leaseTime)));
      } catch (LeaseLostException e) {
        out.add(Optional.empty());
      }
    }
    return out;
  }

  @Override
  public void retryLater(Lease lease, Duration delay) {
    maybeFail(Op.RETRY);
    delegate.retryLater(lease, delay);
  }

  @Override
  public void release(Lease lease, Duration delay) {
    maybeFail(Op.RELEASE);
    delegate.release(lease, delay);
  }

  @Override
  public void deadLetter(Lease lease, Failure failure) {
    maybeFail(Op.DEAD_LETTER);
    delegate.deadLetter(lease, failure);
  }

  @Override
  public int reclaimExpiredLeases() {
    maybeFail(Op.RECLAIM);
    return delegate.reclaimExpiredLeases();
  }
}
