package dev.dq.chaos.ledger;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Jepsen's total-queue check over one scenario's ledger: what went in must come out.
 *
 * <ul>
 *   <li><b>lost</b>: acknowledged enqueues that never finished and are not dead letters;
 *   <li><b>unexpected</b>: ids a worker ran that no producer attempted, or whose enqueue the broker
 *       refused for good;
 *   <li><b>duplicated</b>: finished executions beyond the first of each id (at-least-once delivery
 *       allows them; the harness reports them, it does not fail on them);
 *   <li><b>recovered</b>: ids whose enqueue had an unknown outcome (a lost reply, no later answer)
 *       and that ran anyway.
 * </ul>
 *
 * @param attempted distinct ids a producer tried to enqueue
 * @param acknowledged distinct ids whose enqueue returned normally
 * @param rejected distinct ids refused for good (never acknowledged)
 * @param unknown distinct ids attempted whose outcome stayed unknown
 * @param succeeded distinct ids a handler finished at least once
 * @param deadLettered distinct ids in the dead-letter queue at the end
 * @param lost acknowledged, never finished, not dead-lettered
 * @param unexpected run but never attempted, or run although refused
 * @param executions finished executions, duplicates included
 * @param duplicated executions beyond the first of each id
 * @param recovered finished though the enqueue's outcome was unknown
 * @param residue tasks still in the broker after the drain (ready, delayed, leased, or a task body
 *     nothing refers to)
 * @param unreadable ledger lines that did not parse
 */
public record Verdict(
    long attempted,
    long acknowledged,
    long rejected,
    long unknown,
    long succeeded,
    long deadLettered,
    long lost,
    long unexpected,
    long executions,
    long duplicated,
    long recovered,
    long residue,
    int unreadable) {

  /**
   * Checks a ledger against what the broker holds after the drain.
   *
   * @param ledger every entry of the scenario
   * @param deadLettered ids in the dead-letter queue
   * @param residue tasks left in the broker
   * @return the verdict
   */
  public static Verdict of(Ledger ledger, Set<String> deadLettered, long residue) {
    Set<String> attempted = new HashSet<>();
    Set<String> acknowledged = new HashSet<>();
    Set<String> rejected = new HashSet<>();
    Set<String> ran = new HashSet<>();
    Map<String, Integer> finishes = new HashMap<>();
    for (LedgerEntry e : ledger.entries()) {
      switch (e.kind()) {
        case ATTEMPTED -> attempted.add(e.id());
        case ACKNOWLEDGED -> acknowledged.add(e.id());
        case REJECTED -> rejected.add(e.id());
        case UNKNOWN -> {
          // an unknown outcome is what is left once neither of the above was recorded
        }
        case STARTED -> ran.add(e.id());
        case FINISHED -> {
          ran.add(e.id());
          finishes.merge(e.id(), 1, Integer::sum);
        }
      }
    }
    rejected.removeAll(acknowledged);
    long lost =
        acknowledged.stream()
            .filter(id -> !finishes.containsKey(id) && !deadLettered.contains(id))
            .count();
    long unexpected =
        ran.stream().filter(id -> !attempted.contains(id) || rejected.contains(id)).count();
    long executions = finishes.values().stream().mapToLong(Integer::longValue).sum();
    long recovered =
        finishes.keySet().stream()
            .filter(
                id ->
                    attempted.contains(id) && !acknowledged.contains(id) && !rejected.contains(id))
            .count();
    long unknown =
        attempted.stream()
            .filter(id -> !acknowledged.contains(id) && !rejected.contains(id))
            .count();
    return new Verdict(
        attempted.size(),
        acknowledged.size(),
        rejected.size(),
        unknown,
        finishes.size(),
        deadLettered.size(),
        lost,
        unexpected,
        executions,
        executions - finishes.size(),
        recovered,
        residue,
        ledger.unreadable());
  }

  /**
   * Whether the check holds: something was acknowledged, nothing acknowledged was lost, nothing
   * unexpected ran, the broker is empty, and every ledger line was read. Dead letters fail it too:
   * the chaos handler never fails, so a dead letter is a task the system gave up on (leases lost
   * until its attempts ran out, or an entry it could not load).
   *
   * @return the pass condition
   */
  public boolean passed() {
    return acknowledged > 0
        && lost == 0
        && unexpected == 0
        && residue == 0
        && deadLettered == 0
        && unreadable == 0;
  }

  /**
   * Duplicated executions per succeeded id.
   *
   * @return the rate, 0 when nothing succeeded
   */
  public double duplicateRate() {
    return succeeded == 0 ? 0 : (double) duplicated / succeeded;
  }
}
