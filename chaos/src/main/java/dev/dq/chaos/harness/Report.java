package dev.dq.chaos.harness;

import dev.dq.chaos.ledger.Timeline;
import dev.dq.chaos.ledger.Verdict;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/** The results as a Markdown table, one row per scenario, and the faults each injected. */
public final class Report {
  private Report() {}

  /**
   * Formats the results.
   *
   * @param results what ran
   * @param command the command line that reproduces the run
   * @return Markdown
   */
  public static String markdown(List<ScenarioResult> results, String command) {
    StringBuilder out = new StringBuilder();
    out.append("Command: `").append(command).append("`\n\n");
    out.append(
        "| scenario | redis | faults | published | acknowledged | succeeded | dead-lettered | lost"
            + " | unexpected | duplicated (rate) | recovered | residue | recovery ms p50/p99/max"
            + " | resume ms p50/p99/max | tasks/s before/during/after | verdict |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (ScenarioResult r : results) {
      Verdict v = r.verdict();
      Timeline t = r.timeline();
      out.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %d | %d | %d | %d | %d | **%d** | **%d** | %d (%.2f%%) | %d | %d | %s |"
                  + " %s | %.0f / %.0f / %.0f | %s |%n",
              r.scenario().name(),
              r.scenario().persistence().label(),
              r.faults().size(),
              v.attempted(),
              v.acknowledged(),
              v.succeeded(),
              v.deadLettered(),
              v.lost(),
              v.unexpected(),
              v.duplicated(),
              v.duplicateRate() * 100,
              v.recovered(),
              v.residue(),
              percentiles(t.recoveryMillis()),
              percentiles(t.resumeMillis()),
              t.before(),
              t.during(),
              t.after(),
              r.passed() ? "pass" : "**FAIL**"));
    }
    for (ScenarioResult r : results) {
      out.append("\n- **").append(r.scenario().name()).append("**: ");
      out.append(r.scenario().description()).append('.');
      if (r.verdict().unknown() > 0 || r.verdict().rejected() > 0) {
        out.append(
            String.format(
                Locale.ROOT,
                " Enqueues with an unknown outcome: %d; refused: %d.",
                r.verdict().unknown(),
                r.verdict().rejected()));
      }
      if (r.timeline().unrecovered() > 0) {
        out.append(" Faults left out of the recovery figures because some of their tasks never")
            .append(" finished: ")
            .append(r.timeline().unrecovered())
            .append('.');
      }
      if (r.verdict().unreadable() > 0) {
        out.append(" Unreadable ledger lines: ").append(r.verdict().unreadable()).append('.');
      }
      for (String p : r.problems()) {
        out.append(" Problem: ").append(p).append('.');
      }
    }
    out.append('\n');
    return out.toString();
  }

  private static String percentiles(List<Long> values) {
    if (values.isEmpty()) {
      return "-";
    }
    return show(Timeline.percentile(values, 50))
        + " / "
        + show(Timeline.percentile(values, 99))
        + " / "
        + show(Timeline.percentile(values, 100));
  }

  private static String show(OptionalLong v) {
    return v.isPresent() ? Long.toString(v.getAsLong()) : "-";
  }
}
