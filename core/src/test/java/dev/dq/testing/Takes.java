package dev.dq.testing;

import dev.dq.core.port.Broker;
import dev.dq.core.port.Lease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Dequeue helpers the contract suites share: take what must be ready now, or drain a queue. */
public final class Takes {
  private Takes() {}

  /** Dequeues a task that must be ready now. */
  public static Lease take(Broker broker, String queue, Duration leaseTime)
      throws InterruptedException {
    return broker
        .dequeue(queue, leaseTime, Duration.ZERO)
        .orElseThrow(() -> new AssertionError("expected a ready task on " + queue));
  }

  /** Dequeues and acks every task ready now, returning their ids in delivery order. */
  public static List<String> takeAndAckAll(Broker broker, String queue, Duration leaseTime)
      throws InterruptedException {
    List<String> ids = new ArrayList<>();
    Optional<Lease> lease;
    while ((lease = broker.dequeue(queue, leaseTime, Duration.ZERO)).isPresent()) {
      ids.add(lease.get().task().id().value());
      broker.ack(lease.get());
    }
    return ids;
  }
}
