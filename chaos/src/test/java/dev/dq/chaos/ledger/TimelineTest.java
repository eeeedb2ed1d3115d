package dev.dq.chaos.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.chaos.ledger.LedgerEntry.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class TimelineTest {
  private final List<LedgerEntry> entries = new ArrayList<>();

  private void at(long millis, Kind kind, String id) {
    entries.add(new LedgerEntry(kind, id, 1, 1, millis));
  }

  private Timeline timeline(List<FaultWindow> faults, long loadStart, long loadEnd) {
    long faultStart = faults.isEmpty() ? loadStart : faults.get(0).startMillis();
    long faultEnd = faults.isEmpty() ? loadStart : faults.get(faults.size() - 1).endMillis();
    entries.sort(java.util.Comparator.comparingLong(LedgerEntry::atMillis));
    return Timeline.of(
        new Ledger(entries, 0),
        faults,
        new Timeline.Phases(loadStart, faultStart, faultEnd, loadEnd));
  }

  @Test
  void recovery_countsTasksAcceptedButNotStarted_andFaultsWhoseTasksNeverFinishApart() {
    at(100, Kind.ACKNOWLEDGED, "queued"); // claimed by a worker that dies before starting it
    at(150, Kind.ACKNOWLEDGED, "lost");
    at(2600, Kind.FINISHED, "queued");

    Timeline t =
        timeline(
            List.of(new FaultWindow("kill", 500, 500), new FaultWindow("kill", 3000, 3000)),
            0,
            4000);

    assertThat(t.recoveryMillis()).isEmpty(); // the first fault's "lost" never finished
    assertThat(t.unrecovered()).isEqualTo(2);
  }

  @Test
  void recovery_aFinishedTaskStartedAgain_isNotUnfinished() {
    at(100, Kind.STARTED, "a");
    at(200, Kind.FINISHED, "a");
    at(300, Kind.STARTED, "a"); // a duplicate run of a finished task

    Timeline t = timeline(List.of(new FaultWindow("kill", 1000, 1000)), 0, 2000);

    assertThat(t.recoveryMillis()).isEmpty();
    assertThat(t.unrecovered()).isZero();
  }

  @Test
  void recovery_lastsUntilEveryTaskInFlightAtTheFaultFinishedSomewhere() {
    at(100, Kind.STARTED, "a");
    at(150, Kind.STARTED, "b");
    at(200, Kind.FINISHED, "b"); // done before the fault: not in flight
    at(300, Kind.STARTED, "c");
    // fault at 1000: a and c are in flight; a finishes again at 1400, c at 3500
    at(1400, Kind.FINISHED, "a");
    at(3500, Kind.FINISHED, "c");

    Timeline t = timeline(List.of(new FaultWindow("kill", 1000, 1000)), 0, 4000);

    assertThat(t.recoveryMillis()).containsExactly(2500L);
  }

  @Test
  void resume_isTheFirstStartOfANewTaskAfterTheFaultIsLifted() {
    at(100, Kind.STARTED, "a");
    at(2100, Kind.STARTED, "a"); // a re-delivery is not new work
    at(2300, Kind.STARTED, "b");

    Timeline t = timeline(List.of(new FaultWindow("stop", 500, 2000)), 0, 3000);

    assertThat(t.resumeMillis()).containsExactly(300L);
  }

  @Test
  void throughput_countsFirstFinishesPerSecondInEachWindow() {
    for (int i = 0; i < 10; i++) {
      at(i * 100, Kind.FINISHED, "before-" + i); // 10 in the first second
    }
    at(1500, Kind.FINISHED, "during");
    at(1600, Kind.FINISHED, "during"); // a duplicate is not counted twice
    for (int i = 0; i < 4; i++) {
      at(2000 + i * 100, Kind.FINISHED, "after-" + i);
    }

    Timeline t = timeline(List.of(new FaultWindow("f", 1000, 2000)), 0, 3000);

    assertThat(t.before()).isEqualTo(10.0);
    assertThat(t.during()).isEqualTo(1.0);
    assertThat(t.after()).isEqualTo(4.0);
  }

  @Test
  void percentile_isNearestRank() {
    List<Long> values = List.of(5L, 1L, 3L, 2L, 4L);

    assertThat(Timeline.percentile(values, 50)).hasValue(3);
    assertThat(Timeline.percentile(values, 99)).hasValue(5);
    assertThat(Timeline.percentile(values, 100)).hasValue(5);
    assertThat(Timeline.percentile(List.of(), 50)).isEmpty();
  }
}
