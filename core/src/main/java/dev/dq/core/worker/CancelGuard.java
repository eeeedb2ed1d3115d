package dev.dq.core.worker;

import dev.dq.core.lifecycle.TaskCancels;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the pool's deliveries of cancelled tasks ({@link TaskCancels}): every {@link #INTERVAL} it
 * asks the broker which of the tasks it holds, claimed or running, are marked for cancellation (one
 * {@link TaskCancels#cancelRequested} per queue that has such tasks, none when the pool holds
 * nothing), and {@linkplain Execution#cancel cancels} those: a claimed task does not start, a
 * running handler is interrupted, and the delivery ends with {@link TaskCancels#settleCancelled},
 * never a retry. The cancels found in one check are settled one after another, one broker round
 * trip each: a task's handler is thus interrupted, and its delivery ended, within one interval of
 * {@code cancel} returning {@code REQUESTED}, plus one round trip per queue for the check, plus one
 * per task the same check ends before it.
 *
 * <p>Without a broker that offers {@link TaskCancels} it does nothing.
 */
final class CancelGuard implements Periodic.Job {
  /** How often the pool asks the broker which of its tasks are cancelled. */
  static final Duration INTERVAL = Duration.ofMillis(250);

  private static final Logger log = LoggerFactory.getLogger(CancelGuard.class);

  private final PoolServices services;
  private final TaskCancels cancels;
  private final Supplier<List<Execution>> held;

  /**
   * @param held a snapshot of the executions the pool holds now
   */
  CancelGuard(PoolServices services, Supplier<List<Execution>> held) {
    this.services = services;
    this.cancels = services.broker() instanceof TaskCancels c ? c : null;
    this.held = held;
  }

  /** Whether the broker offers cancels (else the pool needs no periodic check). */
  boolean active() {
    return cancels != null;
  }

  @Override
  public boolean runOnce() {
    if (cancels == null) {
      return true;
    }
    boolean ok = true;
    for (Map.Entry<String, List<Execution>> queue : byQueue().entrySet()) {
      List<Execution> ofQueue = queue.getValue();
      Set<TaskId> marked;
      try {
        marked = cancels.cancelRequested(queue.getKey(), idsOf(ofQueue));
      } catch (RuntimeException e) {
        services.brokerErrors().warn("could not read the cancels of queue " + queue.getKey(), e);
        ok = false;
        continue;
      }
      if (marked.isEmpty()) {
        continue;
      }
      // Claimed ones first: a running one's worker, once interrupted, would start the next.
      for (Execution.State s : List.of(Execution.State.PENDING, Execution.State.RUNNING)) {
        for (Execution e : ofQueue) {
          if (e.state() == s && marked.contains(e.task().id()) && e.cancel(cancels)) {
            log.debug("task {}: cancelled while held by this pool", e.task().id());
          }
        }
      }
    }
    return ok;
  }

  /**
   * The claimed or running executions, by queue; an empty map when the pool holds none. Two
   * deliveries of one id may be among them (one whose lease was lost still runs): both are kept.
   */
  private Map<String, List<Execution>> byQueue() {
    Map<String, List<Execution>> out = new LinkedHashMap<>();
    for (Execution e : held.get()) {
      Execution.State s = e.state();
      if (s == Execution.State.PENDING || s == Execution.State.RUNNING) {
        out.computeIfAbsent(e.task().queue(), q -> new ArrayList<>()).add(e);
      }
    }
    return out;
  }

  /** The distinct ids of {@code executions}, in order. */
  private static List<TaskId> idsOf(List<Execution> executions) {
    Set<TaskId> ids = new LinkedHashSet<>();
    executions.forEach(e -> ids.add(e.task().id()));
    return new ArrayList<>(ids);
  }
}
