package dev.dq.core.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

final class BoundedLabelsTest {
  @Test
  void label_knownValues_alwaysPass() {
    BoundedLabels labels = new BoundedLabels(Set.of("email"), 0);

    assertThat(labels.label("email")).isEqualTo("email");
    assertThat(labels.label("unknown")).isEqualTo(BoundedLabels.OTHER);
  }

  @Test
  void label_unknownBeyondCap_foldIntoOther() {
    BoundedLabels labels = new BoundedLabels(Set.of(), 2);

    assertThat(labels.label("a")).isEqualTo("a");
    assertThat(labels.label("b")).isEqualTo("b");
    assertThat(labels.label("c")).isEqualTo(BoundedLabels.OTHER);
    assertThat(labels.label("a")).as("admitted values stay").isEqualTo("a");
  }
}
