package dev.dq.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.task.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class PublishCommandTest {
  private static Task task(String queue) {
    return Task.builder("echo").queue(queue).createdAt(Instant.EPOCH).build();
  }

  @Test
  void batches_splitByQueueAndSize_keepOrder() {
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < PublishCommand.BATCH + 1; i++) {
      tasks.add(task("a"));
    }
    tasks.add(task("b"));
    tasks.add(task("a"));

    List<List<Task>> batches = PublishCommand.batches(tasks);

    assertThat(batches).extracting(List::size).containsExactly(PublishCommand.BATCH, 1, 1, 1);
    assertThat(batches).extracting(b -> b.get(0).queue()).containsExactly("a", "a", "b", "a");
    assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(tasks);
  }
}
