package dev.dq.app.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.app.config.WorkerSettings;
import dev.dq.core.task.Task;
import dev.dq.core.worker.TaskHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in handlers come through the same ServiceLoader path as a user's handler jar. */
final class HandlersTest {
  private static final ClassLoader LOADER = HandlersTest.class.getClassLoader();

  private static RunSettings settings(double flakyRate) {
    return new RunSettings(
        new WorkerSettings(1, 1, Duration.ofSeconds(1)),
        new MetricsSettings("127.0.0.1", 0),
        flakyRate);
  }

  @Test
  void load_builtInHandlers_areFoundThroughTheServiceFile() {
    Map<String, TaskHandler> handlers = Handlers.load(LOADER, settings(0.5));

    assertThat(handlers).containsOnlyKeys("echo", "fail", "flaky", "sleep");
  }

  @Test
  void load_flakyRateSetting_isHandedToTheFlakyHandler() throws Exception {
    Task task = Task.builder("flaky").createdAt(Instant.EPOCH).build();
    TaskHandler never = Handlers.load(LOADER, settings(0)).get("flaky");
    TaskHandler always = Handlers.load(LOADER, settings(1)).get("flaky");

    for (int i = 0; i < 50; i++) {
      never.handle(task);
    }
    assertThatThrownBy(() -> always.handle(task))
        .hasMessageStartingWith("flaky failure on attempt");
  }
}
