package dev.dq.app.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints bench results as an aligned table, or as one JSON object per line. */
final class BenchReport {
  private BenchReport() {}

  public static void table(List<BenchResult> results, PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "%-8s %-20s %10s %9s %12s %9s %9s %9s %9s  %s%n",
        "backend",
        "measure",
        "tasks",
        "seconds",
        "tasks/s",
        "p50 ms",
        "p90 ms",
        "p99 ms",
        "max ms",
        "notes");
    for (BenchResult r : results) {
      String[] lat =
          r.latency()
              .map(l -> new String[] {ms(l.p50()), ms(l.p90()), ms(l.p99()), ms(l.max())})
              .orElse(new String[] {"-", "-", "-", "-"});
      out.printf(
          Locale.ROOT,
          "%-8s %-20s %10d %9.3f %12.0f %9s %9s %9s %9s  %s%n",
          r.backend(),
          r.name(),
          r.tasks(),
          r.seconds(),
          r.perSecond(),
          lat[0],
          lat[1],
          lat[2],
          lat[3],
          notes(r.notes()));
    }
    out.flush();
  }

  public static void json(List<BenchResult> results, PrintWriter out) {
    for (BenchResult r : results) {
      StringBuilder line = new StringBuilder("{");
      field(line, "backend", quote(r.backend()));
      field(line, "measure", quote(r.name()));
      field(line, "tasks", Long.toString(r.tasks()));
      field(line, "seconds", String.format(Locale.ROOT, "%.6f", r.seconds()));
      field(line, "tasks_per_second", String.format(Locale.ROOT, "%.1f", r.perSecond()));
      r.latency()
          .ifPresent(
              l -> {
                field(line, "latency_p50_ms", ms(l.p50()));
                field(line, "latency_p90_ms", ms(l.p90()));
                field(line, "latency_p99_ms", ms(l.p99()));
                field(line, "latency_max_ms", ms(l.max()));
              });
      r.notes().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(
              e ->
                  field(
                      line,
                      e.getKey(),
                      e.getValue() instanceof Number
                          ? e.getValue().toString()
                          : quote(String.valueOf(e.getValue()))));
      line.setLength(line.length() - 1);
      out.println(line.append('}'));
    }
    out.flush();
  }

  private static String notes(Map<String, Object> notes) {
    return notes.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }

  private static void field(StringBuilder line, String name, String value) {
    line.append(quote(name)).append(':').append(value).append(',');
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static String ms(double millis) {
    return String.format(Locale.ROOT, "%.3f", millis);
  }
}
