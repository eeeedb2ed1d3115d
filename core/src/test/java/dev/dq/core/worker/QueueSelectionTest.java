package dev.dq.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dq.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/**
 * The selection policy alone, on a fake clock: the orders it gives, and slot-time shares in a
 * deterministic simulation of slots running handlers of different speeds.
 */
final class QueueSelectionTest {
  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
  private final FakeClock clock = FakeClock.at(START);

  private QueueSelection weighted(int critical, int normal, int low) {
    return QueueSelection.of(
        WorkerPoolConfig.builder()
            .workers(8)
            .queue("critical", critical)
            .queue("default", normal)
            .queue("low", low)
            .build(),
        clock);
  }

  private static int[] order(QueueSelection selection, int slot) {
    int[] order = new int[selection.size()];
    selection.order(slot, order);
    return order;
  }

  @Test
  void order_strict_isTheGivenOrderAndBlocksOnTheFirst() {
    QueueSelection strict =
        QueueSelection.of(
            WorkerPoolConfig.builder()
                .queue("critical")
                .queue("default")
                .queue("low")
                .strict()
                .build(),
            clock);

    for (int slot = 0; slot < 4; slot++) {
      assertThat(order(strict, slot)).containsExactly(0, 1, 2);
      assertThat(strict.blockOn(slot)).isZero();
    }
    assertThat(strict.weighted()).isFalse();
  }

  @Test
  void batch_strict_claimsABatchOnlyFromTheFirstQueue() {
    QueueSelection strict =
        QueueSelection.of(
            WorkerPoolConfig.builder().queue("critical").queue("low").strict().build(), clock);

    assertThat(strict.batch(0, 8)).isEqualTo(8);
    assertThat(strict.batch(1, 8)).isEqualTo(1);
  }

  @Test
  void batch_weighted_claimsOneUntilARunOfTheQueueEnded() {
    QueueSelection selection = weighted(6, 3, 1);
    assertThat(selection.batch(2, 8)).isEqualTo(1);

    QueueSelection.Busy run = selection.started(0, "low");
    clock.advance(Duration.ofMillis(200));
    run.end();

    assertThat(selection.batch(2, 8)).isEqualTo(8);
    assertThat(selection.batch(0, 8)).isEqualTo(1);
  }

  @Test
  void order_equalWeightsAndNoServiceYet_isTheSlotsRotationWithItsOwnQueueLast() {
    QueueSelection even = weighted(1, 1, 1);

    assertThat(order(even, 0)).containsExactly(1, 2, 0);
    assertThat(order(even, 1)).containsExactly(2, 0, 1);
    assertThat(order(even, 5)).containsExactly(0, 1, 2);
    assertThat(even.blockOn(5)).isEqualTo(2);
  }

  @Test
  void order_noServiceYet_triesTheHeavierQueueFirst() {
    assertThat(order(weighted(1, 3, 6), 0)).containsExactly(2, 1, 0);
  }

  @Test
  void order_afterService_triesTheQueueFurthestBelowItsShareFirst() {
    QueueSelection selection = weighted(6, 3, 1);
    QueueSelection.Busy critical = selection.started(0, "critical");
    clock.advance(Duration.ofMillis(60)); // critical 60/6 = 10 while it runs, the others 0

    assertThat(order(selection, 0)).containsExactly(1, 2, 0);

    critical.end();
    QueueSelection.Busy normal = selection.started(0, "default");
    clock.advance(Duration.ofMillis(60)); // default 60/3 = 20 > critical 10 > low 0
    normal.end();
    assertThat(order(selection, 0)).containsExactly(2, 0, 1);
  }

  @Test
  void order_batchClaimedButNotStarted_countsAsCommittedSoOtherSlotsGoElsewhere() {
    QueueSelection selection = weighted(1, 1, 1);
    for (String queue : new String[] {"critical", "default", "low"}) {
      QueueSelection.Busy run = selection.started(0, queue);
      clock.advance(Duration.ofMillis(100)); // every queue: 100 ms served, typical run 100 ms
      run.end();
    }

    selection.found(1, 2, 4); // slot 1 claimed 4 of low, none started yet

    assertThat(order(selection, 0)[2]).isEqualTo(2);
    QueueSelection.Busy first = selection.started(1, "low"); // 3 claimed + 1 running, as before
    assertThat(order(selection, 0)[2]).isEqualTo(2);
    first.end();
    selection.found(1, 0, 0); // slot 1 claims again: its old batch is over
    assertThat(selection.serviceAt(2, clock.instant())).isEqualTo(Duration.ofMillis(100).toNanos());
  }

  @Test
  void busyEnd_calledTwice_countsTheRunOnce() {
    QueueSelection selection = weighted(1, 1, 1);
    QueueSelection.Busy run = selection.started(0, "low");
    clock.advance(Duration.ofMillis(100));
    run.end(); // e.g. the timer gave the slot up
    clock.advance(Duration.ofMillis(100));
    run.end(); // and the abandoned handler returned later

    assertThat(selection.running(2)).isZero();
    assertThat(selection.serviceAt(2, clock.instant())).isEqualTo(Duration.ofMillis(100).toNanos());
  }

  @Test
  void started_oneQueue_countsNothing() {
    QueueSelection single = QueueSelection.of(WorkerPoolConfig.builder().build(), clock);

    single.started(0, "default");

    assertThat(single.weighted()).isFalse();
    assertThat(single.running(0)).isZero();
    assertThat(order(single, 3)).containsExactly(0);
    assertThat(single.blockOn(3)).isZero();
  }

  @Test
  void simulation_allQueuesBusyWithHandlersOfDifferentSpeeds_slotTimeFollowsTheWeights() {
    QueueSelection selection = weighted(6, 3, 1);

    double[] share =
        new Simulation(selection, 8, 20, 50, 200).run((q, t) -> true, 60_000).shares(0, 60_000);

    assertThat(share[0]).isCloseTo(0.60, within(0.01));
    assertThat(share[1]).isCloseTo(0.30, within(0.01));
    assertThat(share[2]).isCloseTo(0.10, within(0.01));
  }

  @Test
  void simulation_slowHandlersInTheLightQueue_doNotTakeMoreThanItsShare() {
    // sidekiq#1773: light queues 100x slower than the heavy one must not starve it
    QueueSelection selection = weighted(4, 1, 1);

    double[] share =
        new Simulation(selection, 8, 10, 1_000, 1_000)
            .run((q, t) -> true, 120_000)
            .shares(0, 120_000);

    assertThat(share[0]).isCloseTo(4 / 6.0, within(0.02));
    assertThat(share[1]).isCloseTo(1 / 6.0, within(0.02));
    assertThat(share[2]).isCloseTo(1 / 6.0, within(0.02));
  }

  @Test
  void simulation_oneQueueEmpty_itsShareGoesToTheOthersByWeight() {
    QueueSelection selection = weighted(6, 3, 1);

    double[] share =
        new Simulation(selection, 8, 20, 50, 200).run((q, t) -> q != 1, 60_000).shares(0, 60_000);

    assertThat(share[1]).isZero();
    assertThat(share[0]).isCloseTo(6 / 7.0, within(0.01));
    assertThat(share[2]).isCloseTo(1 / 7.0, within(0.01));
  }

  @Test
  void simulation_heavyWeights_theLightQueueStillRuns() {
    QueueSelection selection = weighted(100, 100, 1);

    Simulation sim = new Simulation(selection, 4, 20, 20, 200).run((q, t) -> true, 60_000);

    assertThat(sim.starts[2]).isPositive();
    assertThat(sim.shares(0, 60_000)[2]).isCloseTo(1 / 201.0, within(0.005));
  }

  @Test
  void simulation_queueBackFromEmpty_takesItsShareNotEverySlotUntilItCatchesUp() {
    QueueSelection selection = weighted(6, 3, 1);

    // default has nothing for 30 s, then work for the rest of the run
    Simulation sim =
        new Simulation(selection, 8, 20, 50, 200).run((q, t) -> q != 1 || t >= 30_000, 60_000);

    assertThat(sim.shares(30_000, 31_000)[1]).isLessThan(0.45); // no catching up on 30 s
    double[] after = sim.shares(30_000, 60_000);
    assertThat(after[0]).isCloseTo(0.60, within(0.02));
    assertThat(after[1]).isCloseTo(0.30, within(0.02));
    assertThat(after[2]).isCloseTo(0.10, within(0.02));
  }

  /**
   * Slots that each run one handler at a time, of a fixed duration per queue, choosing the next
   * queue through the policy whenever they are free. Time in whole milliseconds of the fake clock.
   */
  private final class Simulation {
    private final QueueSelection selection;
    private final long[] durations;
    private final long[] freeAt;
    private final long[][] busyPerMs; // queue x millisecond: slots busy with it
    final int[] starts;

    Simulation(QueueSelection selection, int slots, long... durationsMs) {
      this.selection = selection;
      this.durations = durationsMs;
      this.freeAt = new long[slots];
      this.busyPerMs = new long[durationsMs.length][];
      this.starts = new int[durationsMs.length];
    }

    /**
     * Runs until {@code horizon} ms; {@code hasWork} tells whether a queue has a ready task at a
     * time. A slot that finds none waits 1 ms.
     */
    Simulation run(BiPredicate<Integer, Long> hasWork, int horizon) {
      for (int q = 0; q < busyPerMs.length; q++) {
        busyPerMs[q] = new long[horizon];
      }
      QueueSelection.Busy[] running = new QueueSelection.Busy[freeAt.length];
      int[] order = new int[selection.size()];
      for (long now = 0; now < horizon; now++) {
        clock.set(START.plusMillis(now));
        for (int slot = 0; slot < freeAt.length; slot++) {
          if (freeAt[slot] > now) {
            continue;
          }
          if (running[slot] != null) {
            running[slot].end();
            running[slot] = null;
          }
          selection.order(slot, order);
          for (int q : order) {
            boolean work = hasWork.test(q, now);
            selection.found(slot, q, work ? 1 : 0);
            if (work) {
              running[slot] = selection.started(slot, selection.queue(q));
              starts[q]++;
              freeAt[slot] = now + durations[q];
              for (long t = now; t < Math.min(horizon, freeAt[slot]); t++) {
                busyPerMs[q][(int) t]++;
              }
              break;
            }
          }
          if (running[slot] == null) {
            freeAt[slot] = now + 1;
          }
        }
      }
      return this;
    }

    /** Each queue's part of the busy slot-time in [from, to) ms. */
    double[] shares(int from, int to) {
      double[] busy = new double[busyPerMs.length];
      double total = 0;
      for (int q = 0; q < busy.length; q++) {
        for (int t = from; t < to; t++) {
          busy[q] += busyPerMs[q][t];
        }
        total += busy[q];
      }
      for (int q = 0; q < busy.length; q++) {
        busy[q] /= total;
      }
      return busy;
    }
  }
}
