package dev.dq.app.metrics;

import dev.dq.testing.PrometheusText;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

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
    return PrometheusText.sample(text, name, labels);
  }
}
