package dev.dq.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.task.TaskQueueException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ActionRoutesTest {
  private final ActionRoutes routes =
      new ActionRoutes()
          .add("queues/{queue}/pause", "/queues/{queue}", c -> "paused " + c.at("queue"))
          .add(
              "queues/{queue}/tasks/{id}/cancel",
              "/queues/{queue}/tasks/{id}",
              c -> c.remote() + " cancels " + c.at("id") + c.field("why").orElse(""))
          .add(
              "cron/{queue}/{schedule}/trigger",
              "/cron",
              c -> {
                throw new InterruptedException();
              });

  @Test
  void aPathFindsItsRoute_withTheNamedSegments_andItsPageToReturnTo() {
    ActionRoutes.Match m = routes.match(List.of("queues", "a:b", "tasks", "t/1", "cancel")).get();

    assertThat(m.name()).isEqualTo("cancel");
    assertThat(m.path()).containsEntry("queue", "a:b").containsEntry("id", "t/1");
    assertThat(m.back(Map.of("why", "x"))).isEqualTo("/queues/a%3Ab/tasks/t%2F1");
    assertThat(m.run(Map.of("why", " now"), "10.0.0.1")).isEqualTo("10.0.0.1 cancels t/1 now");
  }

  @Test
  void aPageToReturnTo_mayKeepSomeFields() {
    ActionRoutes withFilter =
        new ActionRoutes()
            .add(
                "queues/{queue}/dead/purge",
                "/queues/{queue}/dead",
                DashboardPages::filterQuery,
                c -> "purged");

    ActionRoutes.Match m = withFilter.match(List.of("queues", "q", "dead", "purge")).get();

    assertThat(m.back(Map.of("type", "email", "mark", "7"))).isEqualTo("/queues/q/dead?type=email");
    assertThat(m.back(Map.of())).isEqualTo("/queues/q/dead");
  }

  @Test
  void anotherLengthOrLiteral_findsNothing() {
    assertThat(routes.match(List.of("queues", "q", "resume"))).isEmpty();
    assertThat(routes.match(List.of("queues", "q", "pause", "x"))).isEmpty();
    assertThat(routes.match(List.of())).isEmpty();
  }

  @Test
  void aBadQueueOrScheduleName_isRefusedNamingIt() {
    assertThatThrownBy(() -> routes.match(List.of("queues", "bad\nname", "pause")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a queue name")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> routes.match(List.of("cron", "q", " ", "trigger")))
        .isInstanceOf(TaskQueueException.class);
  }

  @Test
  void anInterruptedOperation_keepsTheInterrupt_andFailsAsABrokerError() {
    ActionRoutes.Match m = routes.match(List.of("cron", "q", "nightly", "trigger")).get();
    try {
      assertThatThrownBy(() -> m.run(Map.of(), "127.0.0.1"))
          .isInstanceOf(TaskQueueException.class)
          .hasMessageContaining("trigger may or may not have happened");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
