package dev.dq.core.worker;

import dev.dq.core.lifecycle.Completion;
import dev.dq.core.lifecycle.TaskLookup;
import dev.dq.core.port.Lease;
import dev.dq.core.task.InvalidTaskException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles a pool's successes with the broker in batches, and settles the doubt when an ack gets no
 * answer: the executions stay awaiting their ack (their leases renewed by the heartbeat) and the
 * same ack is asked again, which the broker answers exactly ({@link
 * dev.dq.core.port.Broker#ackAll}), until it answers or the leases have certainly expired. Each
 * execution's outcome is then reported once (Succeeded, or LeaseLost "ack"), and every log line
 * about an unknown outcome names the task ids. Called by the thread that owns the executions'
 * backlog.
 */
final class Acks {
  private static final Logger log = LoggerFactory.getLogger(Acks.class);
  private static final Duration ACK_RETRY_PAUSE = Duration.ofMillis(100);

  private final PoolServices services;
  private final Runnable onSettled;

  /**
   * @param onSettled runs after executions were settled (no longer held), to wake a stop waiting
   *     for them
   */
  Acks(PoolServices services, Runnable onSettled) {
    this.services = services;
    this.onSettled = onSettled;
  }

  /**
   * Sends the acks of successful executions in one broker call and reports each answered one,
   * removing it from {@code pending}. Without an answer (the ack may or may not have landed) they
   * stay in {@code pending}, awaiting their ack with leases renewed, for the caller to ask again
   * about the same leases; those whose leases have certainly expired meanwhile are given up.
   *
   * @return true if the broker answered
   */
  boolean ackAll(List<Execution> pending) {
    // One call per queue: a queue whose acks fail must not hold back the acks of the others.
    boolean answered = true;
    List<Execution> unanswered = new ArrayList<>();
    for (List<Execution> queue : Heartbeat.byQueue(pending)) {
      List<Execution> group = new ArrayList<>(queue);
      if (!ackQueue(group)) {
        answered = false;
        unanswered.addAll(group);
      }
    }
    pending.clear();
    pending.addAll(unanswered);
    return answered;
  }

  /** {@link #ackAll} for the executions of one queue. */
  private boolean ackQueue(List<Execution> pending) {
    List<Lease> leases = new ArrayList<>(pending.size());
    pending.forEach(e -> leases.add(e.lease()));
    List<Lease> refused;
    try {
      refused = settle(pending, leases);
    } catch (InvalidTaskException tooLarge) {
      return oneByOne(pending, tooLarge);
    } catch (RuntimeException noAnswer) {
      outcomeUnknown(pending, noAnswer);
      return false;
    }
    Set<Lease> lost = Set.of();
    if (!refused.isEmpty()) {
      lost = Collections.newSetFromMap(new IdentityHashMap<>());
      lost.addAll(refused); // brokers return the very lease objects they were given
    }
    List<String> settledLate = new ArrayList<>();
    for (int i = 0; i < pending.size(); i++) {
      Execution e = pending.get(i);
      if (e.isAckInDoubt()) {
        settledLate.add(
            e.task().id().value() + (lost.contains(leases.get(i)) ? " (lease lost)" : " (acked)"));
      }
      e.acked(lost.contains(leases.get(i)));
    }
    if (!settledLate.isEmpty()) {
      log.info("acks of unknown outcome answered: {}", settledLate);
    }
    pending.clear();
    onSettled.run();
    return true;
  }

  /**
   * Acks the successes: through {@link TaskLookup#complete} with their results when the broker
   * keeps task states, else {@link dev.dq.core.port.Broker#ackAll}.
   */
  private List<Lease> settle(List<Execution> pending, List<Lease> leases) {
    if (services.broker() instanceof TaskLookup lookup) {
      List<Completion> completions = new ArrayList<>(pending.size());
      for (int i = 0; i < pending.size(); i++) {
        completions.add(new Completion(leases.get(i), pending.get(i).result()));
      }
      return lookup.complete(completions);
    }
    return services.broker().ackAll(leases);
  }

  /**
   * The broker refused a batch because a result is too large (nothing was acked): settles each
   * success alone, so the others are acked and only the oversized ones are {@linkplain
   * Execution#resultRefused dead-lettered}.
   *
   * @return true if the broker answered about every one
   */
  private boolean oneByOne(List<Execution> pending, InvalidTaskException first) {
    log.debug("a result was refused ({}); acking the batch one by one", first.getMessage());
    List<Execution> unanswered = new ArrayList<>();
    for (Execution e : pending) {
      List<Execution> one = new ArrayList<>(List.of(e));
      try {
        e.acked(!settle(one, List.of(e.lease())).isEmpty());
      } catch (InvalidTaskException tooLarge) {
        log.warn(
            "task {}: its result was refused ({}); dead-lettering it as {}",
            e.task().id(),
            tooLarge.getMessage(),
            Execution.RESULT_TOO_LARGE);
        e.resultRefused(tooLarge);
      } catch (RuntimeException noAnswer) {
        outcomeUnknown(one, noAnswer);
        unanswered.addAll(one);
      }
    }
    pending.clear();
    pending.addAll(unanswered);
    onSettled.run();
    return unanswered.isEmpty();
  }

  private void outcomeUnknown(List<Execution> pending, RuntimeException error) {
    List<String> fresh = new ArrayList<>();
    for (Execution e : pending) {
      if (e.ackOutcomeUnknown()) {
        fresh.add(e.task().id().value());
      }
    }
    if (!fresh.isEmpty()) {
      log.warn(
          "ack of tasks {} got no answer ({}); asking the broker again until it answers",
          fresh,
          error.toString());
    } else {
      services.brokerErrors().warn("asking again about the ack of tasks " + ids(pending), error);
    }
    Instant now = services.clock().instant();
    List<Execution> expired = new ArrayList<>();
    for (Execution e : pending) {
      if (e.leaseCertainlyExpired(now)) {
        expired.add(e);
      }
    }
    if (!expired.isEmpty()) {
      log.warn(
          "gave up asking whether tasks {} were acked: no answer came before their leases certainly expired; "
              + "unless the ack landed they run again",
          ids(expired));
      pending.removeAll(expired);
      for (Execution e : expired) {
        e.ackAbandoned();
      }
      onSettled.run();
    }
  }

  /**
   * A worker's last acks before it leaves its slot: asks until the broker answers, the leases have
   * certainly expired or {@code deadline} (System.nanoTime()) has passed, then gives up on the
   * rest, naming them.
   */
  void flushBeforeExit(List<Execution> unacked, long deadline) {
    while (!unacked.isEmpty() && !ackAll(unacked) && !unacked.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !pauseBeforeAsking(left)) {
        log.warn(
            "shutdown: no answer yet about the ack of tasks {}; unless it landed they run again once their "
                + "leases expire",
            ids(unacked));
        for (Execution e : unacked) {
          e.ackUnconfirmed();
        }
        unacked.clear();
        onSettled.run();
      }
    }
  }

  private static boolean pauseBeforeAsking(long leftNanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(Math.min(leftNanos, ACK_RETRY_PAUSE.toNanos()));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static List<String> ids(Collection<Execution> executions) {
    List<String> ids = new ArrayList<>(executions.size());
    executions.forEach(e -> ids.add(e.task().id().value()));
    return ids;
  }
}
