package dev.dq.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one sample out of a scrape in the Prometheus text format, as Prometheus does: by name and
 * labels. For the tests of every metrics backend (dq run's registry, the Micrometer binder).
 */
public final class PrometheusText {
  private PrometheusText() {}

  /**
   * The value of the sample {@code name{labels}} (labels exactly as written, e.g. {@code
   * queue="q",type="t"}; empty for none).
   *
   * @param text the scrape
   * @param name the sample's name
   * @param labels its labels as they appear between the braces
   * @return its value
   * @throws AssertionError there is no such sample
   */
  public static double sample(String text, String name, String labels) {
    String selector =
        labels.isEmpty() ? Pattern.quote(name) : Pattern.quote(name + "{" + labels + "}");
    Matcher m = Pattern.compile("(?m)^" + selector + " (\\S+)$").matcher(text);
    if (!m.find()) {
      throw new AssertionError("no sample " + name + "{" + labels + "} in\n" + text);
    }
    return Double.parseDouble(m.group(1));
  }
}
