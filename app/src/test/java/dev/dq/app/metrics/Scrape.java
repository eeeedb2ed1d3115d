package dev.dq.app.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads metrics the way Prometheus does: the text format, then one sample by name and labels. */
final class Scrape {
  private Scrape() {}

  static String text(PrometheusRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * The value of the sample {@code name{labels}} (labels exactly as written, e.g. {@code
   * queue="q",type="t"}).
   */
  static double value(String text, String name, String labels) {
    String selector =
        labels.isEmpty() ? Pattern.quote(name) : Pattern.quote(name + "{" + labels + "}");
    Matcher m = Pattern.compile("(?m)^" + selector + " (\\S+)$").matcher(text);
    if (!m.find()) {
      throw new AssertionError("no sample " + name + "{" + labels + "} in\n" + text);
    }
    return Double.parseDouble(m.group(1));
  }
}
