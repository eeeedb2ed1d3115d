package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.task.Task;
import dev.dq.core.task.TaskLimits;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class RedisTaskFormatTest {
  private final RedisTaskFormat format = new RedisTaskFormat(TaskLimits.DEFAULT);

  @Test
  void encodeThenDecode_returnsTheSameTask_asTheBrokersCodecStoresIt() {
    Task task =
        Task.builder("echo").payload("hello").header("k", "v").createdAt(Instant.EPOCH).build();

    String json = format.encode(task);

    assertThat(json).isEqualTo(new TaskCodec(TaskLimits.DEFAULT).encode(task));
    assertThat(format.decode(json, task.id().value(), task.queue())).isEqualTo(task);
  }

  @Test
  void decode_notATask_throwsIllegalArgumentWithTheReason() {
    assertThatThrownBy(() -> format.decode("{\"v\":99}", "t1", "default"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version");
  }
}
