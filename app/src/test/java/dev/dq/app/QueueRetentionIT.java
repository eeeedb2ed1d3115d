package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.lifecycle.Retention;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code dq queue retention}, run as a user runs it, against real Redis. */
final class QueueRetentionIT extends WithRedis {

  @Test
  void retention_shown_thenSetInPart_thenShownAsJson() throws Exception {
    Dq.Result shown = Dq.run(env(), "queue", "retention", "mail");
    Dq.Result set =
        Dq.run(env(), "queue", "retention", "mail", "--finished-for", "2h", "--dead-max", "50");
    Dq.Result json = Dq.run(env(), "queue", "retention", "mail", "--json");

    assertThat(shown.code()).as("stderr: %s", shown.err()).isZero();
    assertThat(shown.out().strip())
        .isEqualTo(
            "queue mail keeps finished tasks for 1d (at most 100000), dead letters for 30d (at most"
                + " 100000)");
    assertThat(set.code()).as("stderr: %s", set.err()).isZero();
    assertThat(set.out().strip())
        .isEqualTo(
            "queue mail now keeps finished tasks for 2h (at most 100000), dead letters for 30d (at"
                + " most 50)");
    assertThat(json.out().strip())
        .isEqualTo(
            "{\"queue\":\"mail\",\"finished_ms\":7200000,\"finished_max\":100000,"
                + "\"dead_ms\":2592000000,\"dead_max\":50}");
    assertThat(broker.retentionOf("mail"))
        .isEqualTo(new Retention(Duration.ofHours(2), 100_000, Duration.ofDays(30), 50));
    assertThat(broker.retentionOf("other")).isEqualTo(Retention.DEFAULT);
  }

  @Test
  void retention_badValue_usageError_namesIt() throws Exception {
    Dq.Result r = Dq.run(env(), "queue", "retention", "mail", "--dead-for", "soon");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().asString().contains("--dead-for", "soon");
    assertThat(broker.retentionOf("mail")).isEqualTo(Retention.DEFAULT);
  }
}
