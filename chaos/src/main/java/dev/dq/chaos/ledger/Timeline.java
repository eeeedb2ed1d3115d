package dev.dq.chaos.ledger;

import dev.dq.chaos.ledger.LedgerEntry.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Time figures of one scenario, from its ledger and the faults it injected.
 *
 * <ul>
 *   <li><b>recovery</b> of a fault: from its start until every task that was accepted or started
 *       before it and had not finished anywhere by then has finished somewhere: tasks queued,
 *       claimed (leased, prefetched) or running when it struck, for instance again on another
 *       worker once the lease of a killed one expired. One figure per fault; a fault some of whose
 *       tasks never finished (lost or dead-lettered, counted by the verdict) is counted in {@code
 *       unrecovered} instead.
 *   <li><b>resume</b> of a fault: from the moment it was lifted until a handler starts a task that
 *       it had not run before, i.e. until new work flows again.
 *   <li><b>throughput</b>: tasks finished for the first time per second in the three phases of the
 *       load: before the faults, while they are injected, and after them until the load stopped.
 * </ul>
 *
 * @param recoveryMillis one figure per fault with unfinished tasks, in fault order
 * @param unrecovered faults some of whose unfinished tasks never finished
 * @param resumeMillis one figure per fault, in fault order; a fault after which nothing new started
 *     is left out
 * @param before tasks/s in the warm-up (or over the whole load without faults)
 * @param during tasks/s in the fault phase
 * @param after tasks/s from the end of the fault phase until the load stopped
 */
public record Timeline(
    List<Long> recoveryMillis,
    int unrecovered,
    List<Long> resumeMillis,
    double before,
    double during,
    double after) {

  /** Copies the lists. */
  public Timeline {
    recoveryMillis = List.copyOf(recoveryMillis);
    resumeMillis = List.copyOf(resumeMillis);
  }

  /**
   * Computes the figures.
   *
   * @param ledger the scenario's entries
   * @param faults the injected faults, in start order
   * @param phases when the load started, the fault phase started and ended, and the load stopped
   * @return the figures
   */
  public static Timeline of(Ledger ledger, List<FaultWindow> faults, Phases phases) {
    List<LedgerEntry> starts = ledger.of(Kind.STARTED).toList();
    List<Long> recovery = new ArrayList<>();
    List<Long> resume = new ArrayList<>();
    int unrecovered = 0;
    for (FaultWindow fault : faults) {
      Recovery r = recoveryOf(ledger, fault.startMillis());
      if (r == Recovery.NEVER) {
        unrecovered++;
      } else if (r.millis() >= 0) {
        recovery.add(r.millis());
      }
      resumeOf(starts, fault.endMillis()).ifPresent(resume::add);
    }
    List<Long> firsts = firstFinishes(ledger.of(Kind.FINISHED).toList());
    if (faults.isEmpty()) {
      return new Timeline(
          recovery, unrecovered, resume, rate(firsts, phases.loadStart(), phases.loadEnd()), 0, 0);
    }
    return new Timeline(
        recovery,
        unrecovered,
        resume,
        rate(firsts, phases.loadStart(), phases.faultStart()),
        rate(firsts, phases.faultStart(), phases.faultEnd()),
        rate(firsts, phases.faultEnd(), phases.loadEnd()));
  }

  /**
   * The phases of a scenario's load, in epoch milliseconds.
   *
   * @param loadStart the producers started
   * @param faultStart the warm-up ended and the first fault began
   * @param faultEnd the fault phase ended (the last fault was lifted)
   * @param loadEnd the producers stopped
   */
  public record Phases(long loadStart, long faultStart, long faultEnd, long loadEnd) {}

  /** A fault's recovery: millis, -1 when nothing was unfinished, or {@link #NEVER}. */
  private record Recovery(long millis) {
    static final Recovery NONE = new Recovery(-1);
    static final Recovery NEVER = new Recovery(-2);
  }

  /**
   * Until every task accepted or started before {@code at} and unfinished by then has finished
   * somewhere.
   */
  private static Recovery recoveryOf(Ledger ledger, long at) {
    Set<String> unfinished = new HashSet<>();
    Set<String> finished = new HashSet<>();
    Map<String, Long> finishedAfter = new HashMap<>();
    for (LedgerEntry e : ledger.entries()) {
      boolean known = e.kind() == Kind.ACKNOWLEDGED || e.kind() == Kind.STARTED;
      if (e.atMillis() < at) {
        if (e.kind() == Kind.FINISHED) {
          finished.add(e.id());
          unfinished.remove(e.id());
        } else if (known && !finished.contains(e.id())) {
          unfinished.add(e.id());
        }
      } else if (e.kind() == Kind.FINISHED) {
        finishedAfter.putIfAbsent(e.id(), e.atMillis());
      }
    }
    if (unfinished.isEmpty()) {
      return Recovery.NONE;
    }
    long last = at;
    for (String id : unfinished) {
      Long done = finishedAfter.get(id);
      if (done == null) {
        return Recovery.NEVER;
      }
      last = Math.max(last, done);
    }
    return new Recovery(last - at);
  }

  /** Until a handler starts an id it had not started before {@code at}. */
  private static OptionalLong resumeOf(List<LedgerEntry> starts, long at) {
    Set<String> seen = new HashSet<>();
    for (LedgerEntry e : starts) {
      if (e.atMillis() < at) {
        seen.add(e.id());
      } else if (!seen.contains(e.id())) {
        return OptionalLong.of(e.atMillis() - at);
      }
    }
    return OptionalLong.empty();
  }

  private static List<Long> firstFinishes(List<LedgerEntry> finishes) {
    Set<String> seen = new HashSet<>();
    List<Long> times = new ArrayList<>();
    for (LedgerEntry e : finishes) {
      if (seen.add(e.id())) {
        times.add(e.atMillis());
      }
    }
    return times;
  }

  private static double rate(List<Long> times, long from, long to) {
    if (to <= from) {
      return 0;
    }
    long n = times.stream().filter(t -> t >= from && t < to).count();
    return n * 1000.0 / (to - from);
  }

  /**
   * The p-th percentile (nearest rank) of {@code values}.
   *
   * @param values the figures
   * @param p 0..100
   * @return the percentile, or empty for no values
   */
  public static OptionalLong percentile(List<Long> values, double p) {
    if (values.isEmpty()) {
      return OptionalLong.empty();
    }
    List<Long> sorted = values.stream().sorted().toList();
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return OptionalLong.of(sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))));
  }
}
