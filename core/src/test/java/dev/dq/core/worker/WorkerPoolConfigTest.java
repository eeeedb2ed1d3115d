package dev.dq.core.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.task.InvalidTaskException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

final class WorkerPoolConfigTest {

  @Test
  void build_defaults_serveTheDefaultQueueWithThreeWorkersAndNoTimeout() {
    WorkerPoolConfig config = WorkerPoolConfig.builder().build();

    assertThat(config.workers()).isEqualTo(3);
    assertThat(config.queues()).containsExactly("default");
    assertThat(config.timeoutFor("any")).isEmpty();
    assertThat(config.maxDeferred()).isEqualTo(12);
  }

  @Test
  void workers_zero_isRejectedNamingTheValue() {
    assertThatThrownBy(() -> WorkerPoolConfig.builder().workers(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("workers must be >= 1: 0");
  }

  @Test
  void concurrency_zero_isRejectedNamingTypeAndValue() {
    assertThatThrownBy(() -> WorkerPoolConfig.builder().concurrency("email", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("concurrency of email must be >= 1: 0");
  }

  @Test
  void timeout_negative_isRejected() {
    assertThatThrownBy(() -> WorkerPoolConfig.builder().timeout("email", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout of email must be > 0: PT-1S");
  }

  @Test
  void queue_badName_isRejected() {
    assertThatThrownBy(() -> WorkerPoolConfig.builder().queue("has space"))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("\"has space\"");
  }

  @Test
  void timeoutFor_typeOverride_winsOverTheDefault() {
    WorkerPoolConfig config =
        WorkerPoolConfig.builder()
            .defaultTimeout(Duration.ofSeconds(30))
            .timeout("resize", Duration.ofSeconds(2))
            .queue("a")
            .queue("b")
            .queue("a")
            .build();

    assertThat(config.timeoutFor("resize")).contains(Duration.ofSeconds(2));
    assertThat(config.timeoutFor("email")).contains(Duration.ofSeconds(30));
    assertThat(config.queues()).isEqualTo(List.of("a", "b"));
  }

  @Test
  void queue_withWeights_keepsTheOrderAndWeighsUnweightedQueuesOne() {
    WorkerPoolConfig config =
        WorkerPoolConfig.builder().queue("critical", 6).queue("default").queue("low", 1).build();

    assertThat(config.queues()).containsExactly("critical", "default", "low");
    assertThat(config.weightOf("critical")).isEqualTo(6);
    assertThat(config.weightOf("default")).isEqualTo(1);
    assertThat(config.strict()).isFalse();
  }

  @Test
  void queue_zeroWeight_isRejectedNamingQueueAndValue() {
    assertThatThrownBy(() -> WorkerPoolConfig.builder().queue("low", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight of queue low must be >= 1: 0");
  }

  @Test
  void strict_afterAWeight_isRejected() {
    var builder = WorkerPoolConfig.builder().queue("critical", 6);

    assertThatThrownBy(builder::strict)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exclude each other");
  }

  @Test
  void queueWithWeight_afterStrict_isRejected() {
    var builder = WorkerPoolConfig.builder().queue("critical").strict();

    assertThatThrownBy(() -> builder.queue("low", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("weight of low given");
  }
}
