package dev.dq.adapter.memory;

import dev.dq.core.limit.Limit;
import dev.dq.core.limit.LimitReason;
import dev.dq.core.limit.LimitTarget;
import dev.dq.core.limit.LimitedClaims;
import dev.dq.core.limit.Rate;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The in-memory broker's global limits (see {@link dev.dq.core.limit.Limits}): admission of ready
 * tasks under the store's lock. Not thread-safe: every method must be called with the {@link
 * Store}'s lock held.
 *
 * <p>Rate: GCRA on the injected clock, one theoretical arrival time (microseconds) per queue and
 * limit. Concurrency: counted from the unexpired deliveries of the queue, so an expired lease frees
 * its permit before it is reclaimed. A closed type's tasks stay where they are in ready; the scan
 * skips them and takes the next task of an open type, so they keep their order.
 */
final class LimitGate {
  private final Map<LimitTarget, Limit> limits = new TreeMap<>();
  private final Map<String, Long> arrivals = new HashMap<>(); // queue/target -> TAT in micros
  private final Map<String, Long> limited = new TreeMap<>(); // queue/reason -> count

  /**
   * What one admission got: the leases, or when none, how long until a limit may open (or null).
   */
  record Taken(List<Lease> leases, Duration untilOpening) {}

  boolean active() {
    return !limits.isEmpty();
  }

  void set(Limit limit) {
    limits.put(limit.target(), limit);
  }

  boolean remove(LimitTarget target) {
    return limits.remove(target) != null;
  }

  List<Limit> all() {
    return List.copyOf(limits.values());
  }

  List<LimitedClaims> counts() {
    List<LimitedClaims> out = new ArrayList<>();
    limited.forEach(
        (k, v) -> {
          int slash = k.lastIndexOf('/');
          out.add(
              new LimitedClaims(
                  k.substring(0, slash), LimitReason.valueOf(k.substring(slash + 1)), v));
        });
    return out;
  }

  /**
   * Leases up to {@code max} ready tasks of {@code q} that its limits admit now, oldest first,
   * skipping tasks of closed types.
   */
  Taken take(QueueState q, int max, Instant now, Function<Task, Lease> lessor) {
    if (q.readyCount() == 0) {
      return new Taken(List.of(), null);
    }
    long nowMicros = micros(now);
    Budget queueBudget = budget(q, limits.get(LimitTarget.queue(q.name)), null, now, nowMicros);
    Map<String, Budget> typeBudgets = new HashMap<>();
    List<Lease> taken = new ArrayList<>();
    Budget closedBy = queueBudget.left == 0 ? queueBudget : null;
    if (queueBudget.left > 0) {
      Iterator<Task> ready = q.readyIterator();
      while (ready.hasNext() && taken.size() < max && queueBudget.left > 0) {
        Task task = ready.next();
        Budget typeBudget =
            typeBudgets.computeIfAbsent(
                task.type(), t -> budget(q, limits.get(LimitTarget.type(t)), t, now, nowMicros));
        if (typeBudget.left == 0) {
          if (closedBy == null || typeBudget.sooner(closedBy)) {
            closedBy = typeBudget;
          }
          continue;
        }
        ready.remove();
        taken.add(lessor.apply(task));
        queueBudget.spend();
        typeBudget.spend();
      }
    }
    queueBudget.commit(nowMicros);
    typeBudgets.values().forEach(b -> b.commit(nowMicros));
    if (!taken.isEmpty() || closedBy == null) {
      return new Taken(taken, null);
    }
    limited.merge(q.name + "/" + closedBy.reason.name(), 1L, Long::sum);
    return new Taken(List.of(), closedBy.wait);
  }

  /** What a limit leaves for this claim: how many may start, and if none, why and for how long. */
  private Budget budget(QueueState q, Limit limit, String type, Instant now, long nowMicros) {
    Budget b = new Budget(q.name + "/" + (limit == null ? "" : limit.target().key()));
    if (limit == null) {
      return b;
    }
    if (limit.concurrency().isPresent()) {
      int used = 0;
      Instant earliest = null;
      for (InFlight d : q.deliveries()) {
        if (!d.expiredAt(now) && (type == null || d.task().type().equals(type))) {
          used++;
          if (earliest == null || d.expiresAt().isBefore(earliest)) {
            earliest = d.expiresAt();
          }
        }
      }
      int left = Math.max(0, limit.concurrency().getAsInt() - used);
      b.cap(
          left, LimitReason.CONCURRENCY, earliest == null ? null : Duration.between(now, earliest));
    }
    if (limit.rate().isPresent()) {
      Rate rate = limit.rate().get();
      long interval = Math.max(1, rate.intervalMicros());
      long tolerance = rate.burst() * interval;
      long base = Math.max(arrivals.getOrDefault(b.key, Long.MIN_VALUE), nowMicros);
      long ahead = base - nowMicros;
      if (ahead > tolerance) {
        b.cap(0, LimitReason.RATE, Duration.ofNanos((ahead - tolerance) * 1000));
      } else {
        long allowed = (tolerance - ahead) / interval + 1;
        b.cap((int) Math.min(Integer.MAX_VALUE, allowed), LimitReason.RATE, null);
      }
      b.rate(base, interval);
    }
    return b;
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  private final class Budget {
    final String key;
    int left = Integer.MAX_VALUE;
    LimitReason reason;
    Duration wait;
    long base = -1;
    long interval;
    int spent;

    Budget(String key) {
      this.key = key;
    }

    void cap(int n, LimitReason why, Duration until) {
      if (n < left) {
        left = n;
        if (n == 0) {
          reason = why;
          wait = until;
        }
      }
    }

    void rate(long base, long interval) {
      this.base = base;
      this.interval = interval;
    }

    void spend() {
      if (left != Integer.MAX_VALUE) {
        left--;
      }
      spent++;
    }

    boolean sooner(Budget other) {
      return other.wait == null || (wait != null && wait.compareTo(other.wait) < 0);
    }

    void commit(long nowMicros) {
      if (base >= 0 && spent > 0) {
        arrivals.put(key, base + spent * interval);
      }
    }
  }
}
