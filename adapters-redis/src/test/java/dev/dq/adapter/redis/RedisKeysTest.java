package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.task.InvalidTaskException;
import java.util.List;
import org.junit.jupiter.api.Test;

final class RedisKeysTest {

  @Test
  void everyKey_sharesTheQueueHashTag() {
    RedisKeys k = RedisKeys.of("mail");

    assertThat(
            List.of(
                k.ready(),
                k.delayed(),
                k.active(),
                k.leases(),
                k.tokenSeq(),
                k.wakeups(),
                k.dead(),
                k.deadSeq(),
                k.tasks(),
                k.attempts(),
                k.failures(),
                k.dumps(),
                k.ackedBits(7)))
        .allSatisfy(key -> assertThat(key).startsWith("dq:{mail}:"));
    assertThat(k.ackedBits(7)).isEqualTo("dq:{mail}:acked:7");
    assertThat(k.ready()).isEqualTo("dq:{mail}:ready");
  }

  @Test
  void of_invalidQueue_throws() {
    assertThatThrownBy(() -> RedisKeys.of("a}b")).isInstanceOf(InvalidTaskException.class);
  }
}
