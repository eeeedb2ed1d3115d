package dev.dq.core.worker;

import dev.dq.core.port.QueuePauses;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a pool from starting tasks of a paused queue (see {@link QueuePauses}) that it claimed
 * before the pause: the broker refuses new claims of a paused queue by itself, but tasks prefetched
 * earlier sit in the pool, claimed and not started.
 *
 * <p>It keeps the set of the pool's queues it knows to be paused, which a worker reads before it
 * starts each task (no broker call). The set is refreshed by {@link #runOnce} every {@link
 * #INTERVAL} (one {@link QueuePauses#pauseOf} per served queue) and at once by the broker's hint
 * ({@link QueuePauses#addPauseListener}: the pool's own pause, or a claim that found the queue
 * paused). A queue newly found paused gets every claimed, unstarted task of the pool handed back
 * ({@code release}, no attempt spent). So the last task of a queue started after {@code pause}
 * returned started at most one {@link #INTERVAL} plus one broker round trip later; running tasks
 * finish.
 *
 * <p>After a resume the set may still name the queue for up to an interval: a batch claimed then
 * (the broker let it through, so the pause was over when it was claimed, or another began since)
 * makes the guard ask the broker again once for that batch ({@link #checkFresh}), so no task of a
 * resumed queue is handed back because of a stale set.
 *
 * <p>Without a broker that offers {@link QueuePauses} it does nothing.
 */
final class PauseGuard implements Periodic.Job {
  /** How often the pool asks the broker which of its queues are paused. */
  static final Duration INTERVAL = Duration.ofMillis(250);

  private static final Logger log = LoggerFactory.getLogger(PauseGuard.class);

  private final PoolServices services;
  private final QueuePauses pauses;
  private final Supplier<List<Execution>> held;
  private final Set<String> paused = ConcurrentHashMap.newKeySet();

  /**
   * @param held a snapshot of the executions the pool holds now
   */
  PauseGuard(PoolServices services, Supplier<List<Execution>> held) {
    this.services = services;
    this.pauses = services.broker() instanceof QueuePauses p ? p : null;
    this.held = held;
  }

  /** Whether the broker offers pauses (else the pool needs no periodic check). */
  boolean active() {
    return pauses != null;
  }

  /** Subscribes to the broker's hint; call once, when the pool starts. */
  void listen() {
    if (pauses != null) {
      pauses.addPauseListener(this::pausedNow);
    }
  }

  /** Whether {@code execution}'s queue is known to be paused: it must not start. */
  boolean holdsBack(Execution execution) {
    return !paused.isEmpty() && paused.contains(execution.task().queue());
  }

  /**
   * A batch of {@code queue} was just claimed while the set says the queue is paused: asks the
   * broker again (one call per batch, only then), since the claim's success suggests a resume.
   */
  void checkFresh(String queue) {
    if (pauses == null || !paused.contains(queue)) {
      return;
    }
    try {
      if (pauses.pauseOf(queue).isEmpty()) {
        paused.remove(queue);
      }
    } catch (RuntimeException e) {
      services.brokerErrors().warn("could not read the pause of queue " + queue, e);
    }
  }

  @Override
  public boolean runOnce() {
    if (pauses == null) {
      return true;
    }
    boolean ok = true;
    for (String queue : services.config().queues()) {
      try {
        if (pauses.pauseOf(queue).isPresent()) {
          pausedNow(queue);
        } else {
          paused.remove(queue);
        }
      } catch (RuntimeException e) {
        services.brokerErrors().warn("could not read the pause of queue " + queue, e);
        ok = false;
      }
    }
    return ok;
  }

  /**
   * {@code queue} is paused: no task of it starts from now on, and the claimed, unstarted ones go
   * back.
   */
  private void pausedNow(String queue) {
    if (!services.config().queues().contains(queue)) {
      return;
    }
    boolean news = paused.add(queue);
    int handedBack = 0;
    for (Execution e : held.get()) {
      if (e.state() == Execution.State.PENDING
          && queue.equals(e.task().queue())
          && e.handBack("queue paused", Duration.ZERO)) {
        handedBack++;
      }
    }
    if (news || handedBack > 0) {
      log.info(
          "queue {} is paused: no task of it starts here until it is resumed; {} claimed tasks"
              + " handed back",
          queue,
          handedBack);
    }
  }
}
