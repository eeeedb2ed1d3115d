package dev.dq.chaos.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.chaos.ledger.LedgerEntry.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class VerdictTest {
  private final List<LedgerEntry> entries = new ArrayList<>();
  private long now = 1000;

  private void add(Kind kind, String id) {
    entries.add(
        new LedgerEntry(kind, id, kind.ordinal() >= Kind.STARTED.ordinal() ? 1 : 0, 7, now++));
  }

  private void acknowledged(String id) {
    add(Kind.ATTEMPTED, id);
    add(Kind.ACKNOWLEDGED, id);
  }

  private void ran(String id) {
    add(Kind.STARTED, id);
    add(Kind.FINISHED, id);
  }

  private Verdict verdict(Set<String> dead, long residue) {
    return Verdict.of(new Ledger(entries, 0), dead, residue);
  }

  @Test
  void everyAcknowledgedTaskRanOnce_passesWithNothingLostOrDuplicated() {
    acknowledged("a");
    acknowledged("b");
    ran("a");
    ran("b");

    Verdict v = verdict(Set.of(), 0);

    assertThat(v.passed()).isTrue();
    assertThat(v.acknowledged()).isEqualTo(2);
    assertThat(v.succeeded()).isEqualTo(2);
    assertThat(v.lost()).isZero();
    assertThat(v.duplicated()).isZero();
  }

  @Test
  void acknowledgedButNeverFinished_isLost_andFails() {
    acknowledged("a");
    acknowledged("b");
    ran("a");
    add(Kind.STARTED, "b"); // started, killed, never finished anywhere

    Verdict v = verdict(Set.of(), 0);

    assertThat(v.lost()).isEqualTo(1);
    assertThat(v.passed()).isFalse();
  }

  @Test
  void deadLettered_isAccountedFor_notLost_butFails_forTheHandlerNeverFails() {
    acknowledged("a");
    acknowledged("b");
    ran("b");

    Verdict v = verdict(Set.of("a"), 0);

    assertThat(v.lost()).isZero();
    assertThat(v.deadLettered()).isEqualTo(1);
    assertThat(v.passed()).isFalse();
  }

  @Test
  void nothingAcknowledged_fails() {
    assertThat(verdict(Set.of(), 0).passed()).isFalse();
  }

  @Test
  void unreadableLines_fail() {
    acknowledged("a");
    ran("a");

    assertThat(Verdict.of(new Ledger(entries, 1), Set.of(), 0).passed()).isFalse();
  }

  @Test
  void refusedButRan_isUnexpected_notRecovered() {
    add(Kind.ATTEMPTED, "r");
    add(Kind.REJECTED, "r");
    ran("r");
    acknowledged("a");
    ran("a");

    Verdict v = verdict(Set.of(), 0);

    assertThat(v.unexpected()).isEqualTo(1);
    assertThat(v.recovered()).isZero();
    assertThat(v.passed()).isFalse();
  }

  @Test
  void ranButNeverAttempted_isUnexpected_andFails() {
    acknowledged("a");
    ran("a");
    ran("ghost");

    Verdict v = verdict(Set.of(), 0);

    assertThat(v.unexpected()).isEqualTo(1);
    assertThat(v.passed()).isFalse();
  }

  @Test
  void finishedTwice_isDuplicated_butPasses() {
    acknowledged("a");
    acknowledged("b");
    ran("a");
    ran("a");
    ran("b");

    Verdict v = verdict(Set.of(), 0);

    assertThat(v.executions()).isEqualTo(3);
    assertThat(v.duplicated()).isEqualTo(1);
    assertThat(v.duplicateRate()).isEqualTo(0.5);
    assertThat(v.passed()).isTrue();
  }

  @Test
  void unknownOutcomeThatRan_isRecovered_andUnknownThatDidNot_isNotLost() {
    add(Kind.ATTEMPTED, "u1");
    add(Kind.UNKNOWN, "u1");
    add(Kind.ATTEMPTED, "u2");
    add(Kind.UNKNOWN, "u2");
    ran("u1");
    acknowledged("a");
    ran("a");

    Verdict v = verdict(Set.of(), 0);

    assertThat(v.recovered()).isEqualTo(1);
    assertThat(v.unknown()).isEqualTo(2);
    assertThat(v.lost()).isZero();
    assertThat(v.passed()).isTrue();
  }

  @Test
  void rejectedThenAcknowledgedOnRetry_countsOnlyAsAcknowledged() {
    add(Kind.ATTEMPTED, "a");
    add(Kind.REJECTED, "a");
    add(Kind.ACKNOWLEDGED, "a");
    add(Kind.ATTEMPTED, "r");
    add(Kind.REJECTED, "r");
    ran("a");

    Verdict v = verdict(Set.of(), 0);

    assertThat(v.rejected()).isEqualTo(1);
    assertThat(v.acknowledged()).isEqualTo(1);
    assertThat(v.unknown()).isZero();
  }

  @Test
  void residue_fails() {
    acknowledged("a");
    ran("a");

    assertThat(verdict(Set.of(), 1).passed()).isFalse();
  }

  @Test
  void ledgerLines_roundTrip_andTornLinesAreRefused() {
    LedgerEntry e = new LedgerEntry(Kind.FINISHED, "p1-7", 2, 4242, 1_796_000_000_000L);

    assertThat(LedgerEntry.parse(e.format())).contains(e);
    assertThat(LedgerEntry.parse("E p1-7 2 42")).isEmpty();
    assertThat(LedgerEntry.parse("X p1-7 2 4242 1")).isEmpty();
    assertThat(LedgerEntry.parse("E p1-7 two 4242 1")).isEmpty();
  }
}
