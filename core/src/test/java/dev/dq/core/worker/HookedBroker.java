package dev.dq.core.worker;

import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import dev.dq.testing.ForwardingBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Broker} decorator for pool tests: counts the round trips of the calls a pool makes in
 * the background, runs a hook before chosen ones (to slow them down, block them or throw, {@link
 * Error}s included), and can lose the reply of an {@code ackAll} after applying it. Thread-safe.
 *
 * <p>Lost ack replies follow the port's promise for unknown outcomes: asking {@code ackAll} again
 * about the same leases answers exactly, so a lease acked by the call whose reply was lost is
 * reported acked, not lost.
 */
final class HookedBroker extends ForwardingBroker {
  enum Op {
    ACK_ALL,
    EXTEND,
    EXTEND_ALL,
    RELEASE,
    RECLAIM
  }

  /** A hook; may throw any throwable, which the call then throws before reaching the broker. */
  @FunctionalInterface
  interface Hook {
    void run() throws Exception;
  }

  private final Map<Op, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<Op, Hook> hooks = new ConcurrentHashMap<>();
  private final AtomicInteger ackRepliesToLose = new AtomicInteger();
  private final Set<String> unreachableQueues = ConcurrentHashMap.newKeySet();
  private final Set<Long> ackedTokens = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicLong renewed =
      new java.util.concurrent.atomic.AtomicLong();

  HookedBroker(Broker delegate) {
    super(delegate);
  }

  /** Runs {@code hook} before every later call of {@code op}; replaces an earlier hook. */
  HookedBroker before(Op op, Hook hook) {
    hooks.put(op, hook);
    return this;
  }

  HookedBroker clear(Op op) {
    hooks.remove(op);
    return this;
  }

  /**
   * Every later ackAll or extendAll call that names a lease of {@code queue} fails as if that
   * queue's part of the backing store were unreachable (a cluster node failing over), before
   * anything is applied.
   */
  HookedBroker failCallsNaming(String queue) {
    unreachableQueues.add(queue);
    return this;
  }

  private void failIfNaming(List<Lease> leases, Op op) {
    for (Lease lease : leases) {
      if (unreachableQueues.contains(lease.task().queue())) {
        throw new BrokerUnavailableException(
            "injected: " + op + " of queue " + lease.task().queue() + " failed");
      }
    }
  }

  /** The next {@code n} ackAll calls are applied, then throw as if the reply was lost. */
  HookedBroker loseAckReplies(int n) {
    ackRepliesToLose.addAndGet(n);
    return this;
  }

  /** Round trips of {@code op} so far (hooks that threw included). */
  int calls(Op op) {
    AtomicInteger n = calls.get(op);
    return n == null ? 0 : n.get();
  }

  /** Leases sent for renewal so far, whether one per call or many. */
  long renewed() {
    return renewed.get();
  }

  /** A hook that throws {@code error} the first time only. */
  static Hook once(Throwable error) {
    AtomicInteger left = new AtomicInteger(1);
    return () -> {
      if (left.getAndDecrement() > 0) {
        sneakyThrow(error);
      }
    };
  }

  private void enter(Op op) {
    calls.computeIfAbsent(op, o -> new AtomicInteger()).incrementAndGet();
    Hook hook = hooks.get(op);
    if (hook != null) {
      try {
        hook.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BrokerUnavailableException("interrupted in a test hook of " + op);
      } catch (Exception e) {
        sneakyThrow(e);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
    throw (T) t;
  }

  @Override
  public List<Lease> ackAll(List<Lease> leases) {
    enter(Op.ACK_ALL);
    failIfNaming(leases, Op.ACK_ALL);
    List<Lease> ask = new ArrayList<>();
    for (Lease lease : leases) {
      if (!ackedTokens.contains(lease.token())) {
        ask.add(lease);
      }
    }
    List<Lease> lost = delegate.ackAll(ask);
    for (Lease lease : ask) {
      if (!lost.contains(lease)) {
        ackedTokens.add(lease.token());
      }
    }
    if (ackRepliesToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new BrokerUnavailableException(
          "injected: reply of an ackAll lost after it was applied");
    }
    return lost;
  }

  @Override
  public void ack(Lease lease) {
    List<Lease> lost = ackAll(List.of(lease));
    if (!lost.isEmpty()) {
      throw new LeaseLostException("task " + lease.task().id() + ": lease lost");
    }
  }

  @Override
  public Lease extend(Lease lease, Duration leaseTime) {
    enter(Op.EXTEND);
    renewed.incrementAndGet();
    return delegate.extend(lease, leaseTime);
  }

  @Override
  public List<Optional<Lease>> extendAll(List<Lease> leases, Duration leaseTime) {
    enter(Op.EXTEND_ALL);
    failIfNaming(leases, Op.EXTEND_ALL);
    renewed.addAndGet(leases.size());
    return delegate.extendAll(leases, leaseTime);
  }

  @Override
  public void release(Lease lease, Duration delay) {
    enter(Op.RELEASE);
    delegate.release(lease, delay);
  }

  @Override
  public int reclaimExpiredLeases() {
    enter(Op.RECLAIM);
    return delegate.reclaimExpiredLeases();
  }
}
